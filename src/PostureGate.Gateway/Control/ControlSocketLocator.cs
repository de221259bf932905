// Where `pgate diagnose` looks for a running gateway when --control is not given: the
// daemon's socket under systemd's RuntimeDirectory, else the socket of a `pgate up` started
// in this directory with its default data directory (./.posturegate).
using PostureGate.Config.Secrets;

namespace PostureGate.Gateway.Control;

public static class ControlSocketLocator
{
    /// <summary>The socket of `pgate up` with its default --data, relative to where it was started.</summary>
    public static readonly string UpSocketPath = Path.Combine(ConfigKeyFile.DefaultDataDirectory, "pgate.sock");

    /// <summary><paramref name="configured"/> (PGATE_CONTROL) when set; otherwise the first of the
    /// daemon's and `up`'s sockets that exists; otherwise the daemon's, for the error to name.</summary>
    public static string Find(string? configured, Func<string, bool>? exists = null)
    {
        if (!string.IsNullOrEmpty(configured))
            return configured;
        exists ??= File.Exists;
        if (exists(ControlProtocol.DefaultSocketPath))
            return ControlProtocol.DefaultSocketPath;
        return exists(UpSocketPath) ? Path.GetFullPath(UpSocketPath) : ControlProtocol.DefaultSocketPath;
    }
}
