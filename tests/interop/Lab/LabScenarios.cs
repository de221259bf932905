namespace PostureGate.Interop.Tests.Lab;

/// <summary>Scenarios the harness check runs against the strongSwan gateway and the pgate tests
/// run against pgate: one body, so both gateways are judged by exactly the same steps.</summary>
public static class LabScenarios
{
    /// <summary>Conn rekey (IKE rekey_time 8 s, CHILD 4 s): waits until both the IKE_SA and the
    /// CHILD_SA carry new SPIs, then checks it is still one tunnel with the same virtual IP and
    /// that traffic passes.</summary>
    public static async Task LifetimeRekeysKeepTheTunnelAsync(InteropLab lab)
    {
        var first = await lab.InitiateEstablishedAsync("rekey");
        var firstChild = first.Children.Single(c => c.IsInstalled);

        var sas = await lab.WaitForSasAsync(
            l => l.Any(s => s.IsEstablished && s.InitiatorSpi != first.InitiatorSpi &&
                            s.Children.Any(c => c.IsInstalled && c.SpiIn != firstChild.SpiIn)),
            LabExpectations.RekeyWait, "the IKE_SA and CHILD_SA of conn rekey to be rekeyed", "rekey");

        var now = Assert.Single(sas, s => s.IsEstablished);
        Assert.Equal(first.LocalVips, now.LocalVips);
        var ping = await lab.PingFromClientAsync(now.LocalVips.Single());
        Assert.True(ping.AllReplied, lab.Explain($"ping after the rekeys:\n{ping.Command}"));
    }

    /// <summary>Conn dialup: a TCP transfer paused halfway while the client rekeys the CHILD_SA
    /// (CREATE_CHILD_SA with REKEY_SA), then finished; every byte must arrive, and the IKE_SA
    /// must be the same one.</summary>
    public static async Task ChildRekeyMidTransferLosesNothingAsync(InteropLab lab)
    {
        var sa = await lab.InitiateEstablishedAsync("dialup");
        var oldSpi = sa.Children.Single(c => c.IsInstalled).SpiIn;

        var result = await lab.TransferToLanAsync(sa.LocalVips.Single(), LabExpectations.TransferBytes, midway: async () =>
        {
            var r = await lab.RekeyChildAsync();
            Assert.True(r.Succeeded, lab.Explain(r.ToString()));
            await lab.WaitForSasAsync(l => l.Any(s => s.Children.Any(c => c.IsInstalled && c.SpiIn != oldSpi)),
                LabExpectations.RekeyWait, "the rekeyed CHILD_SA", "dialup");
        });

        Assert.True(result.Intact, lab.Explain(result.ToString()));
        var now = Assert.Single(await lab.ListSasAsync("dialup"));
        Assert.Equal(sa.InitiatorSpi, now.InitiatorSpi);
        Assert.DoesNotContain(now.Children, c => c.SpiIn == oldSpi && c.IsInstalled);
    }
}
