// `pgate gateway drain [--off]`: tells the running gateway, over its control socket, to stop
// taking new IKE SAs (RFC 5685: clients that can be are redirected in IKE_SA_INIT to the phase1's
// `redirect-gateway`, the others refused with TEMPORARY_FAILURE) while established tunnels stay;
// --off serves new ones again. On a cluster node (--cluster-db) the node's `draining` flag in the
// cluster follows, so no other node redirects clients here. Root or the socket's owner only (ControlAccess).
// Not kept across a restart: a gateway starts serving.
using System.CommandLine;
using PostureGate.Gateway.Composition;
using PostureGate.Gateway.Diagnose;

namespace PostureGate.Gateway.Control;

public static class DrainCommand
{
    public static Command Create()
    {
        var off = new Option<bool>("--off") { Description = "stop draining: new IKE SAs are served here again" };
        var control = DiagnoseCommand.FindControlOption();
        var cmd = new Command("drain",
            "Drain the running gateway for maintenance: new clients are redirected to the phase1's redirect-gateway, or in a cluster "
            + "the least loaded other node (RFC 5685), or refused; established tunnels stay; other cluster nodes stop redirecting here. `diagnose vpn ike redirect` shows the state")
        {
            off, control,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var request = new ControlRequest([.. GatewayHost.DrainWords.Split(' '), parse.GetValue(off) ? "off" : "on"], false);
            try
            {
                var socket = parse.GetValue(control) ?? ControlSocketLocator.Find(Environment.GetEnvironmentVariable("PGATE_CONTROL"));
                return await ControlClient.SendAsync(socket, request, Console.Out, ct).ConfigureAwait(false);
            }
            catch (ControlUnavailableException ex)
            {
                await Console.Error.WriteLineAsync("pgate gateway drain: " + ex.Message).ConfigureAwait(false);
                return 3;
            }
        });
        return cmd;
    }
}
