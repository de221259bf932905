// Who may do what on the control socket. The socket file is mode 0660, so its
// group can connect: they may read (diagnose list/status, debug output), but a
// command that changes the gateway's state (clearing SAs, debug levels) is run
// only for root or the uid that owns the socket, the gateway's own, as the
// kernel reports the peer (SO_PEERCRED), never as the request says.
using System.Runtime.InteropServices;

namespace PostureGate.Gateway.Control;

public static partial class ControlAccess
{
    /// <summary>The uid the socket belongs to: this process's effective uid, which created it.</summary>
    public static uint OwnerUid { get; } = GetEffectiveUid();

    /// <summary>Whether a peer may run a command; <paramref name="peer"/> is null when its credentials could not be read.</summary>
    public static bool Allows(PeerCredentials? peer, uint ownerUid, bool changesState) =>
        !changesState || peer is { } p && (p.Uid == 0 || p.Uid == ownerUid);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUid();
}
