// The outcome of loading a FortiOS CLI configuration file: the model (only without errors) and every diagnostic.
using PostureGate.Config.Model;

namespace PostureGate.Config;

/// <summary>The outcome of loading a file: the model (only when there is no error) and every finding, in source order.</summary>
public sealed record LoadResult(GatewayConfig? Config, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Success => Config is not null;

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}
