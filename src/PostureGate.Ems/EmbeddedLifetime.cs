// A host lifetime that leaves process signals to `pgate ems` / `pgate up`, so only they stop the EMS — PostureGate's own.
using Microsoft.Extensions.Hosting;

namespace PostureGate.Ems;

/// <summary>The EMS host does not own process signals: `pgate ems` (System.CommandLine's
/// Ctrl-C/SIGTERM handling) or `pgate up` decide when to call <see cref="EmsServer.StopAsync"/>.
/// The default console lifetime would stop an embedded EMS on its own.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
