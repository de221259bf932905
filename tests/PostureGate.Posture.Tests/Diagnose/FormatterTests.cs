using System.Net;
using System.Text.Json;

namespace PostureGate.Posture.Tests.Diagnose;

public class FormatterTests
{
    private static TagStore SeedStore()
    {
        var store = new TagStore();
        var ems1 = store.For(1);
        // FortiOS shows the tag as ID(6): five tags were defined before it.
        foreach (var t in new[] { "t1", "t2", "t3", "t4", "t5" })
            ems1.DefineTag(t);
        ems1.Upsert(new EndpointEntry
        {
            Uid = "6108A9179A5C40D7BD57504E15114C1F",
            Ip = IPAddress.Parse("172.16.200.242"),
            Mac = "00:0c:29:2c:67:74",
            Macs = ["00:0c:29:2c:67:74"],
            EmsSerial = "FCTEMS8826000120",
            EmsTenantId = "0000000000000000001EDB589FBC4626",
            ClientCertSn = "0000000000000060ACA9FE283DEEC3B",
            PublicIp = IPAddress.Parse("203.0.113.5"),
            OnNet = true,
            GatewayInterface = "port1",
            FctVersion = "7.2.4",
            Tags = ["all_registered_clients"],
        });
        return store;
    }

    // Seed, Example 1: `diagnose firewall dynamic list EMS1_ZTNA_all_registered_clients`.
    [Fact]
    public void DynamicList_MatchesTheSeedLayout()
    {
        var text = DynamicListFormatter.Format(DynamicListFormatter.Select(SeedStore(), "EMS1_ZTNA_all_registered_clients"));
        Assert.Equal(
            "CMDB name: EMS1_ZTNA_all_registered_clients\n" +
            "TAG name: all_registered_clients\n" +
            "EMS1_ZTNA_all_registered_clients: ID(6)\n" +
            "        ADDR(172.16.200.242)\n" +
            "Total IP dynamic addresses: 1.\n",
            text);
    }

    [Fact]
    public void DynamicList_UnknownName_ListsNothing_AllListsEveryTag()
    {
        var store = SeedStore();
        Assert.Equal("Total IP dynamic addresses: 0.\n", DynamicListFormatter.Format(DynamicListFormatter.Select(store, "EMS9_ZTNA_x")));
        var all = DynamicListFormatter.Format(DynamicListFormatter.Select(store, null));
        Assert.Equal(6, all.Split('\n').Count(l => l.StartsWith("CMDB name: ")));
        using var json = JsonDocument.Parse(DynamicListFormatter.FormatJson(DynamicListFormatter.Select(store, "EMS1_ZTNA_all_registered_clients")));
        var entry = json.RootElement[0];
        Assert.Equal("all_registered_clients", entry.GetProperty("tag_name").GetString());
        Assert.Equal(6, entry.GetProperty("id").GetInt32());
        Assert.Equal("172.16.200.242", entry.GetProperty("addresses")[0].GetString());
        Assert.Equal("00:0c:29:2c:67:74", entry.GetProperty("macs")[0].GetString());
    }

    // Seed, Example 1: `diagnose endpoint ec-shm list` (the seed masks values; we print them).
    [Fact]
    public void EcShmList_MatchesTheSeedLayout()
    {
        var lines = EcShmListFormatter.Format(SeedStore(), gatewaySerial: "FG5H0000000000001").Split('\n');
        string[] head =
        [
            "Record #0:",
            "                IP Address = 172.16.200.242",
            "                MAC Address = 00:0c:29:2c:67:74",
            "                MAC list =",
            "                VDOM = root (0)",
            "                TOKEN VDOM =  (-1)",
            "                EMS serial number: FCTEMS8826000120",
            "                EMS tenant id: 0000000000000000001EDB589FBC4626",
            "                Client cert SN: 0000000000000060ACA9FE283DEEC3B",
            "                Public IP address: 203.0.113.5",
            "                Quarantined: no",
            "                Online status: online",
            "                Registration status: registered",
            "                On-net status: on-net",
            "                Gateway Interface: port1",
            "                FortiClient version: 7.2.4",
        ];
        string[] tail =
        [
            "                Number of Routes: (1)",
            "                        Gateway Route #0:",
            "                                - IP:172.16.200.242, MAC: 00:0c:29:2c:67:74, VPN: no",
            "                                - Interface:port1, VDOM:root (0), SN: FG5H0000000000001",
            "",
        ];
        Assert.Equal(head, lines.Take(head.Length));
        Assert.Equal(tail, lines.TakeLast(tail.Length));
        // Where the seed elides ("…"), our extra fields.
        Assert.Contains("                Tags: all_registered_clients", lines);
        Assert.Contains("                FortiClient UID: 6108A9179A5C40D7BD57504E15114C1F", lines);
    }

    // Issue 13: `pgate up` points both connectors at its one EMS; each endpoint shows once, naming both.
    [Fact]
    public void EcShmList_OneEmsSeenByTwoConnectors_ShowsEachEndpointOnce_ButTwoEmsTwice()
    {
        var store = SeedStore();
        var seed = store.For(1).Endpoints().Single();
        store.For(2).Upsert(seed with { Tags = ["all_registered_clients", "a"] });
        store.For(3).Upsert(seed with { EmsSerial = "FCTEMS0000000003" });

        var text = EcShmListFormatter.Format(store);

        Assert.Equal(2, text.Split('\n').Count(l => l.StartsWith("Record #", StringComparison.Ordinal)));
        Assert.Contains("                EMS connector: EMS1,EMS2\n                Tags: all_registered_clients,a\n", text);
        Assert.Contains("                EMS connector: EMS3\n", text);
        using var json = JsonDocument.Parse(EcShmListFormatter.FormatJson(store));
        Assert.Equal(2, json.RootElement.GetArrayLength());
        Assert.Equal([1, 2], json.RootElement[0].GetProperty("ems_connectors").EnumerateArray().Select(c => c.GetInt32()));
    }

    [Fact]
    public void EcShmList_Json_IsRecordsWithTheSameFields()
    {
        using var json = JsonDocument.Parse(EcShmListFormatter.FormatJson(SeedStore()));
        var record = json.RootElement[0];
        Assert.Equal(0, record.GetProperty("record").GetInt32());
        Assert.Equal("172.16.200.242", record.GetProperty("ip").GetString());
        Assert.Equal("FCTEMS8826000120", record.GetProperty("ems_serial_number").GetString());
        Assert.Equal("on-net", record.GetProperty("on_net_status").GetString());
        Assert.Equal("all_registered_clients", record.GetProperty("tags")[0].GetString());
    }

    [Fact]
    public void FctemsStatus_LostConnector_ShowsSinceAndWhetherCacheIsUsed()
    {
        var status = new FctemsStatusFormatter.FctemsStatusJson(1, "ems", "10.0.0.9", 443, "FCTEMS8826000120", "lost",
            DateTimeOffset.Parse("2026-11-27T10:00:00Z"), null, true, 42, DateTimeOffset.Parse("2026-11-27T09:59:00Z"), 90, 3, 1, 0, "connection refused");
        var text = FctemsStatusFormatter.Format([status], new ManualTimeProvider(DateTimeOffset.Parse("2026-11-27T10:00:30Z")));
        Assert.Contains("        state: lost since 2026-11-27 10:00:00 (30s ago), cached tags in use\n", text);
        Assert.DoesNotContain("out of sync", text);
        Assert.Contains("        last sync: 90s ago\n", text);
        Assert.Contains("        last error: connection refused\n", text);
    }

    [Fact]
    public void FctemsStatus_OutOfSyncConnector_ShowsWhenTheCacheWentOutOfSync()
    {
        var status = new FctemsStatusFormatter.FctemsStatusJson(1, "ems", "10.0.0.9", 443, "FCTEMS8826000120", "lost",
            DateTimeOffset.Parse("2026-11-27T10:00:00Z"), DateTimeOffset.Parse("2026-11-27T10:03:00Z"), false, 42, DateTimeOffset.Parse("2026-11-27T09:59:00Z"), 250, 3, 1, 0, "connection refused");
        var text = FctemsStatusFormatter.Format([status], new ManualTimeProvider(DateTimeOffset.Parse("2026-11-27T10:03:10Z")));
        Assert.Contains("        state: lost since 2026-11-27 10:00:00 (190s ago), cached tags expired\n        out of sync since: 2026-11-27 10:03:00 (10s ago)\n", text);
        using var json = JsonDocument.Parse(FctemsStatusFormatter.FormatJson([status]));
        Assert.Equal(DateTimeOffset.Parse("2026-11-27T10:03:00Z"), json.RootElement[0].GetProperty("out_of_sync_since").GetDateTimeOffset());
    }
}
