using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Lab;

// The two ways a test uses the lab: against the strongSwan reference gateway (harness check,
// later PostureGate's own client) or against pgate.  Either way a lab whose daemons fail to
// start is torn down before the exception reaches the test.
public sealed partial class InteropLab
{
    /// <summary>Namespaces + strongSwan gateway + strongSwan client.</summary>
    public static Task<InteropLab> CreateWithStrongSwanGatewayAsync(ITestOutputHelper? output, ClientOptions? client = null) =>
        CreateStartedAsync(output, lab => lab.StartStrongSwanGatewayAsync(), client);

    /// <summary>Namespaces + pgate gateway (bound to UDP 500) + strongSwan client.</summary>
    public static Task<InteropLab> CreateWithPgateAsync(ITestOutputHelper? output, PgateLabConfig? config = null, ClientOptions? client = null) =>
        CreateStartedAsync(output, lab => lab.StartPgateGatewayAsync((config ?? new PgateLabConfig()).ToString()), client);

    /// <summary>Namespaces + strongSwan gateway, no strongSwan client: PostureGate's client dials in.</summary>
    public static Task<InteropLab> CreateWithStrongSwanGatewayOnlyAsync(ITestOutputHelper? output) =>
        CreateStartedAsync(output, lab => lab.StartStrongSwanGatewayAsync(), client: null, withClient: false);

    /// <summary>Namespaces + pgate gateway, no strongSwan client: PostureGate's client dials in.</summary>
    public static Task<InteropLab> CreateWithPgateOnlyAsync(ITestOutputHelper? output, PgateLabConfig? config = null) =>
        CreateStartedAsync(output, lab => lab.StartPgateGatewayAsync((config ?? new PgateLabConfig()).ToString()), client: null, withClient: false);

    private static async Task<InteropLab> CreateStartedAsync(ITestOutputHelper? output, Func<InteropLab, Task> startGateway, ClientOptions? client,
        bool withClient = true)
    {
        var lab = await CreateAsync(output);
        try
        {
            await startGateway(lab);
            if (withClient)
            {
                await lab.StartClientAsync(client);
            }
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }
}
