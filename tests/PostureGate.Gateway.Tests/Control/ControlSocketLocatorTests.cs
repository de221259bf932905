// Where `pgate diagnose` looks without --control: PGATE_CONTROL, the daemon's socket, a `pgate up` here.
using PostureGate.Gateway.Control;

namespace PostureGate.Gateway.Tests.Control;

public class ControlSocketLocatorTests
{
    private const string Daemon = "/run/posturegate/pgate.sock";

    [Fact]
    public void The_configured_path_wins()
    {
        Assert.Equal("/tmp/x.sock", ControlSocketLocator.Find("/tmp/x.sock", _ => true));
    }

    [Fact]
    public void The_daemons_socket_comes_before_an_up_started_here()
    {
        Assert.Equal(Daemon, ControlSocketLocator.Find(null, _ => true));
    }

    [Fact]
    public void Without_a_daemon_the_socket_of_an_up_started_here_is_found()
    {
        Assert.Equal(Path.GetFullPath(".posturegate/pgate.sock"), ControlSocketLocator.Find(null, p => p == ".posturegate/pgate.sock"));
    }

    [Fact]
    public void With_neither_the_daemons_path_is_named_in_the_error()
    {
        Assert.Equal(Daemon, ControlSocketLocator.Find("", _ => false));
    }
}
