// One step of the demo: what the seed says should happen, what did, and the evidence
// (the client's own lines, the gateway's ike debug lines, diagnose outputs by command).
namespace PostureGate.Cli.Demo;

public sealed record DemoCheck(string What, bool Passed);

public sealed record DemoStep
{
    public required string Name { get; init; }
    public required string Expected { get; init; }
    public required string Actual { get; init; }
    public required IReadOnlyList<DemoCheck> Checks { get; init; }
    public IReadOnlyList<string> Client { get; init; } = [];
    public IReadOnlyList<string> Debug { get; init; } = [];
    /// <summary>"diagnose firewall dynamic list EMS1_ZTNA_all_registered_clients" → its output, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Diagnose { get; init; } = [];
    /// <summary>The step's debug lines against the seed's, where the seed prints them.</summary>
    public SeedComparison? Seed { get; init; }

    public bool Passed => Checks.All(c => c.Passed);
}
