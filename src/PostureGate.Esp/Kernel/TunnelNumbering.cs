// Tunnel numbers (IEspDataPlane's tunnelId) handed out by one counter, owned by whoever
// composes the data planes: no process-wide static, yet unique across data planes.
namespace PostureGate.Esp;

public sealed class TunnelNumbering
{
    private int _last;

    public int Next() => Interlocked.Increment(ref _last);
}
