// The credentials of the process at the other end of a Unix stream socket:
// SO_PEERCRED (socket(7), unix(7)) returns struct ucred { pid_t pid; uid_t uid;
// gid_t gid; } as the kernel recorded it at connect(); the peer cannot choose it.
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PostureGate.Gateway.Control;

public readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    private const int SolSocket = 1;   // <asm-generic/socket.h>
    private const int SoPeerCred = 17;
    private const int UcredLength = 12;

    /// <summary>Reads the peer's credentials; false when the socket cannot say (not a connected Unix socket).</summary>
    public static bool TryRead(Socket socket, out PeerCredentials credentials)
    {
        credentials = default;
        Span<byte> ucred = stackalloc byte[UcredLength];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) != UcredLength)
                return false;
        }
        catch (SocketException)
        {
            return false;
        }
        credentials = new PeerCredentials(
            MemoryMarshal.Read<int>(ucred),
            MemoryMarshal.Read<uint>(ucred[4..]),
            MemoryMarshal.Read<uint>(ucred[8..]));
        return true;
    }
}
