// The one reload path, shared by SIGHUP and the console's wizard: load the file, and either apply it
// (posture gate, then gateway) or refuse it with its error lines, the running configuration kept.
// Serialized, so a SIGHUP and a wizard never apply at once.
namespace PostureGate.Gateway.Admin;

public sealed class ConfigReloader(string path, Func<string, TextWriter, Config.Model.GatewayConfig?> load,
    Func<Config.Model.GatewayConfig, CancellationToken, Task> apply)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>The configuration file SIGHUP reloads (and the wizard rewrites).</summary>
    public string Path => path;

    public SemaphoreSlim Exclusive => _one;

    /// <summary>Reloads the file; returns its diagnostic lines and whether it was applied.</summary>
    public async Task<(bool Applied, string Diagnostics)> ReloadAsync(CancellationToken ct)
    {
        await _one.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await ReloadHeldAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>As <see cref="ReloadAsync"/>, for a caller that holds <see cref="Exclusive"/> already.</summary>
    public async Task<(bool Applied, string Diagnostics)> ReloadHeldAsync(CancellationToken ct)
    {
        var diagnostics = new StringWriter();
        var next = load(path, diagnostics);
        if (next is null)
            return (false, diagnostics.ToString());
        await apply(next, ct).ConfigureAwait(false);
        return (true, diagnostics.ToString());
    }
}
