using System.Text.Json;
using PostureGate.Ems.Model;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Tests;

/// <summary>Registering endpoints straight into a store (what the CLI and store tests start from).</summary>
internal static class TestEndpoints
{
    public const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";

    public static EmsResult Report(EmsStore store, string facts, string uid = Uid)
    {
        using var document = JsonDocument.Parse(facts);
        var request = new EndpointReportRequest(uid, "DESKTOP-EMS-TAG-PH2", "tester", "Windows", "10.0", "7.4.5.1949",
            "10.160.1.197", ["00-0c-29-2c-4d-d7"], document.RootElement);
        Assert.True(EndpointReport.TryCreate(request, null, out var report, out var error), error);
        return store.Report(report!, "172.16.200.1", mustExist: false);
    }
}
