// Inner addresses under mode-cfg (issue 10, finding 3; RFC 7296 §3.10.1 FAILED_CP_REQUIRED, §2.9 narrowing),
// black-box with strongSwan 5.9.8: a client that sends no configuration request gets no CHILD_SA, and one that
// proposes any inner source (TSi 0.0.0.0/0) is narrowed to the address the gateway leased it.
using PostureGate.Interop.Tests.Lab;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Gateway;

/// <summary>
/// `pgate gateway` with `mode-cfg enable` and a pool (the lab's phase1) against strongSwan as the dial-up client.
/// Before issue 10 a client without CP(CFG_REQUEST) got the TSi it proposed, so 0.0.0.0/0 or another user's pool
/// address became its allowed inner source.
/// </summary>
public sealed class PgateModeCfgSelectorInteropTests(ITestOutputHelper output)
{
    // The lab's dialup conn without `vips` (no CP request): its TSi is its own address.
    private const string NoCpConf = """
        connections {
            no-cp {
                version = 2
                local_addrs = 198.51.100.2
                remote_addrs = 198.51.100.1
                proposals = aes128-sha256-modp2048
                encap = yes
                send_certreq = no
                local {
                    auth = eap-mschapv2
                    id = alice
                    eap_id = alice
                }
                remote {
                    auth = psk
                    id = gw.pg.example
                }
                children {
                    lan {
                        remote_ts = 203.0.113.0/24
                        esp_proposals = aes128-sha256
                        start_action = none
                    }
                }
            }
            any-source : connections.dialup {
                children { lan { local_ts = 0.0.0.0/0 } }
            }
        }
        """;

    [SkippableFact]
    public async Task WithoutACpRequest_TheChildSaIsRefusedWithFailedCpRequired()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output, client: new ClientOptions { ExtraSwanctlConf = NoCpConf });

        var r = await lab.InitiateAsync("no-cp");

        Assert.False(r.Succeeded, lab.Explain($"the gateway made a CHILD_SA without a configuration request:\n{r}"));
        Assert.Contains("FAILED_CP_REQUIRED", r.Output);
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.Children.Any(c => c.IsInstalled));
    }

    [SkippableFact]
    public async Task AskingForAnyInnerSource_IsNarrowedToTheLease()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output, client: new ClientOptions { ExtraSwanctlConf = NoCpConf });

        var sa = await lab.InitiateEstablishedAsync("any-source");

        Assert.Equal([InteropLab.FirstPoolAddress], sa.LocalVips);
        var child = sa.Children.Single(c => c.IsInstalled);
        Assert.True(child.LocalTs.SequenceEqual([$"{InteropLab.FirstPoolAddress}/32"]), lab.Explain($"TSi {string.Join(' ', child.LocalTs)}, expected the lease only"));
    }
}
