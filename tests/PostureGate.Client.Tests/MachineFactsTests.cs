// MachineFacts.FromFile: the --facts JSON decides what it names; the machine fills the rest;
// an explicit UID or address wins over the file.
using System.Net;

namespace PostureGate.Client.Tests;

public sealed class MachineFactsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pgate-facts-").FullName;

    private string Write(string json)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void TheFileNamesTheEndpointAndItsFacts()
    {
        var path = Write("""
            {"uid":"F8A6AFF3531843B4972CBDBEEEB30E3C","host":"DESKTOP-EMS-TAG-PH2","user":"tester","os":"Windows",
             "os_version":"Microsoft Windows 8.0 , 64-bit (build 9200)","ip":"10.160.1.197",
             "macs":["00-0c-29-2c-4d-d7","00-0c-29-2c-4d-e1"],"facts":{"av":{"running":true}}}
            """);

        var facts = MachineFacts.FromFile(path, null, null);

        Assert.Equal("F8A6AFF3531843B4972CBDBEEEB30E3C", facts.Uid);
        Assert.Equal("DESKTOP-EMS-TAG-PH2", facts.Host);
        Assert.Equal("tester", facts.User);
        Assert.Equal("Windows", facts.Os);
        Assert.Equal("Microsoft Windows 8.0 , 64-bit (build 9200)", facts.OsVersion);
        Assert.Equal(IPAddress.Parse("10.160.1.197"), facts.Ip);
        Assert.Equal(["00-0c-29-2c-4d-d7", "00-0c-29-2c-4d-e1"], facts.Macs);
        Assert.True(facts.Facts["av"]!["running"]!.GetValue<bool>());
    }

    [Fact]
    public void AGivenUidAndAddressWinOverTheFile()
    {
        var path = Write("""{"uid":"F8A6AFF3531843B4972CBDBEEEB30E3C","ip":"10.160.1.197"}""");

        var facts = MachineFacts.FromFile(path, "6108A9179A5C40D7BD57504E15114C1F", IPAddress.Parse("172.16.200.242"));

        Assert.Equal("6108A9179A5C40D7BD57504E15114C1F", facts.Uid);
        Assert.Equal(IPAddress.Parse("172.16.200.242"), facts.Ip);
    }

    [Fact]
    public void WhatTheFileLeavesOutComesFromTheMachine()
    {
        var path = Write("""{"host":"only-the-host"}""");

        var facts = MachineFacts.FromFile(path, null, IPAddress.Parse("192.0.2.10"));
        var machine = MachineFacts.FromMachine(null, IPAddress.Parse("192.0.2.10"));

        Assert.Equal("only-the-host", facts.Host);
        Assert.Equal(machine.Uid, facts.Uid);
        Assert.Equal(machine.User, facts.User);
        Assert.Equal(machine.Os, facts.Os);
        Assert.Matches("^[0-9A-F]{32}$", facts.Uid);
    }

    [Fact]
    public void TheReportCarriesTheFactsUnderTheEmsNames()
    {
        var path = Write("""{"uid":"F8A6AFF3531843B4972CBDBEEEB30E3C","ip":"10.160.1.197","facts":{"disk":{"encrypted":true}}}""");
        var facts = MachineFacts.FromFile(path, null, null);

        var json = System.Text.Json.JsonSerializer.SerializeToNode(facts.ToReport())!;

        Assert.Equal("F8A6AFF3531843B4972CBDBEEEB30E3C", json["uid"]!.GetValue<string>());
        Assert.Equal("10.160.1.197", json["ip"]!.GetValue<string>());
        Assert.True(json["facts"]!["disk"]!["encrypted"]!.GetValue<bool>());
    }

    [Fact]
    public void AFileThatIsNotAJsonObjectIsRejected()
    {
        var path = Write("[1,2,3]");

        Assert.Throws<InvalidDataException>(() => MachineFacts.FromFile(path, null, null));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
