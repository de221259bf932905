// A node's part in RFC 5685 redirection: whether it is draining (`pgate gateway drain`: no new
// IKE SA here, established ones stay) and how many IKE_SA_INIT requests it redirected or, while
// draining with nowhere to send them, refused. Read by `diagnose vpn ike redirect`.
namespace PostureGate.Ike.Sa;

public sealed class RedirectControl
{
    private int _draining;
    private long _redirected;
    private long _refused;

    /// <summary>True: every new IKE SA is redirected (or refused with TEMPORARY_FAILURE when it cannot be).</summary>
    public bool Draining
    {
        get => Volatile.Read(ref _draining) != 0;
        set => Volatile.Write(ref _draining, value ? 1 : 0);
    }

    /// <summary>IKE_SA_INIT requests answered with N(REDIRECT).</summary>
    public long Redirected => Interlocked.Read(ref _redirected);

    /// <summary>IKE_SA_INIT requests refused while draining because no target could take them.</summary>
    public long RefusedWhileDraining => Interlocked.Read(ref _refused);

    internal void CountRedirected() => Interlocked.Increment(ref _redirected);

    internal void CountRefused() => Interlocked.Increment(ref _refused);
}
