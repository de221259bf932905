namespace PostureGate.Interop.Tests.Swanctl;

public sealed class SwanctlSasParserTests
{
    // Captured from strongSwan 5.9.8 (Debian 12) `swanctl --list-sas --pretty` on the client of
    // this harness, after initiating conns aes256gcm and chacha20poly1305 against the strongSwan
    // gateway (harness check setup); nothing edited.
    private const string TwoSas = """
list-sa event {
  chacha20poly1305 {
    uniqueid = 2
    version = 2
    state = ESTABLISHED
    local-host = 198.51.100.2
    local-port = 4500
    local-id = alice
    remote-host = 198.51.100.1
    remote-port = 4500
    remote-id = gw.pg.example
    initiator = yes
    initiator-spi = 8d8ce8204892cb59
    responder-spi = 54b78f9fb31ea889
    nat-remote = yes
    nat-any = yes
    encr-alg = CHACHA20_POLY1305
    prf-alg = PRF_HMAC_SHA2_256
    dh-group = CURVE_25519
    established = 7
    rekey-time = 13546
    local-vips = [
      192.0.2.200
    ]
    child-sas {
      lan-2 {
        name = lan
        uniqueid = 2
        reqid = 1
        state = INSTALLED
        mode = TUNNEL
        protocol = ESP
        encap = yes
        spi-in = 0bc6da86
        spi-out = 3a926003
        encr-alg = CHACHA20_POLY1305
        bytes-in = 0
        packets-in = 0
        bytes-out = 0
        packets-out = 0
        rekey-time = 3428
        life-time = 3953
        install-time = 7
        local-ts = [
          192.0.2.200/32
        ]
        remote-ts = [
          203.0.113.0/24
        ]
      }
    }
  }
}
list-sa event {
  aes256gcm {
    uniqueid = 1
    version = 2
    state = ESTABLISHED
    local-host = 198.51.100.2
    local-port = 4500
    local-id = alice
    remote-host = 198.51.100.1
    remote-port = 4500
    remote-id = gw.pg.example
    initiator = yes
    initiator-spi = 114d727db780a9c6
    responder-spi = 1084ee03fd45c6d0
    nat-remote = yes
    nat-any = yes
    encr-alg = AES_GCM_16
    encr-keysize = 256
    prf-alg = PRF_HMAC_SHA2_384
    dh-group = ECP_384
    established = 7
    rekey-time = 13144
    local-vips = [
      192.0.2.200
    ]
    child-sas {
      lan-1 {
        name = lan
        uniqueid = 1
        reqid = 1
        state = INSTALLED
        mode = TUNNEL
        protocol = ESP
        encap = yes
        spi-in = ded8b008
        spi-out = f75297d9
        encr-alg = AES_GCM_16
        encr-keysize = 256
        bytes-in = 0
        packets-in = 0
        bytes-out = 0
        packets-out = 0
        rekey-time = 3310
        life-time = 3953
        install-time = 7
        local-ts = [
          192.0.2.200/32
        ]
        remote-ts = [
          203.0.113.0/24
        ]
      }
    }
  }
}
list-sas reply {
}
""";

    [Fact]
    public void CapturedOutput_YieldsBothIkeSas_WithProposalsVipsAndChildren()
    {
        Assert.True(SwanctlSasParser.TryParse(TwoSas, out var sas, out var error), error);

        Assert.Equal(["chacha20poly1305", "aes256gcm"], sas.Select(s => s.Name));
        var chacha = sas[0];
        Assert.Equal(2, chacha.UniqueId);
        Assert.True(chacha.IsEstablished);
        Assert.Equal("CHACHA20_POLY1305/PRF_HMAC_SHA2_256/CURVE_25519", chacha.Proposal);
        Assert.Equal(("198.51.100.2", 4500, "198.51.100.1", 4500), (chacha.LocalHost, chacha.LocalPort, chacha.RemoteHost, chacha.RemotePort));
        Assert.Equal(("alice", "gw.pg.example"), (chacha.LocalId, chacha.RemoteId));
        Assert.Equal(("8d8ce8204892cb59", "54b78f9fb31ea889"), (chacha.InitiatorSpi, chacha.ResponderSpi));
        Assert.Equal(["192.0.2.200"], chacha.LocalVips);
        Assert.Empty(chacha.RemoteVips);

        var gcm = sas[1];
        Assert.Equal("AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384", gcm.Proposal);
        var child = Assert.Single(gcm.Children);
        Assert.Equal(("lan", 1, "INSTALLED", "TUNNEL", "ESP"), (child.Name, child.UniqueId, child.State, child.Mode, child.Protocol));
        Assert.True(child.Encap);
        Assert.Equal(("ded8b008", "f75297d9"), (child.SpiIn, child.SpiOut));
        Assert.Equal("AES_GCM_16_256", child.Proposal);
        Assert.Equal(["192.0.2.200/32"], child.LocalTs);
        Assert.Equal(["203.0.113.0/24"], child.RemoteTs);
        Assert.Equal("CHACHA20_POLY1305", Assert.Single(chacha.Children).Proposal);
    }

    [Fact]
    public void CountersAndIntegrity_AreRead()
    {
        const string text = """
            list-sa event {
              dialup {
                uniqueid = 7
                state = ESTABLISHED
                encr-alg = AES_CBC
                encr-keysize = 128
                integ-alg = HMAC_SHA2_256_128
                prf-alg = PRF_HMAC_SHA2_256
                dh-group = MODP_2048
                remote-vips = [
                  192.0.2.201
                ]
                child-sas {
                  lan-3 {
                    name = lan
                    uniqueid = 3
                    state = REKEYED
                    encr-alg = AES_CBC
                    encr-keysize = 128
                    integ-alg = HMAC_SHA2_256_128
                    bytes-in = 4194304
                    packets-in = 3000
                    bytes-out = 12
                    packets-out = 1
                  }
                }
              }
            }
            list-sas reply {
            }
            """;

        Assert.True(SwanctlSasParser.TryParse(text, out var sas, out var error), error);

        var sa = Assert.Single(sas);
        Assert.Equal("AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048", sa.Proposal);
        Assert.Equal(["192.0.2.201"], sa.RemoteVips);
        var child = Assert.Single(sa.Children);
        Assert.False(child.IsInstalled);
        Assert.Equal((4194304L, 3000L, 12L, 1L), (child.BytesIn, child.PacketsIn, child.BytesOut, child.PacketsOut));
        Assert.Equal("AES_CBC_128/HMAC_SHA2_256_128", child.Proposal);
    }

    [Fact]
    public void NoSa_IsAnEmptyList()
    {
        Assert.True(SwanctlSasParser.TryParse("list-sas reply {\n}\n", out var sas, out var error), error);
        Assert.Empty(sas);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "UnclosedSection", "list-sa event {\n  a {\n    uniqueid = 1\n    state = ESTABLISHED\n  }\n" },
        { "StrayClose", "}\n" },
        { "UnterminatedList", "list-sa event {\n  a {\n    uniqueid = 1\n    state = ESTABLISHED\n    local-vips = [\n      192.0.2.200\n" },
        { "NotKeyValue", "list-sa event {\n  a {\n    uniqueid: 1\n  }\n}\n" },
        { "UniqueIdNotNumber", "list-sa event {\n  a {\n    uniqueid = one\n    state = ESTABLISHED\n  }\n}\n" },
        { "StateMissing", "list-sa event {\n  a {\n    uniqueid = 1\n  }\n}\n" },
        { "ChildCounterMissing", "list-sa event {\n  a {\n    uniqueid = 1\n    state = ESTABLISHED\n    child-sas {\n      lan-1 {\n        uniqueid = 1\n        state = INSTALLED\n        bytes-in = 1\n        packets-in = 1\n        bytes-out = 1\n      }\n    }\n  }\n}\n" },
        { "NegativeCounter", "list-sa event {\n  a {\n    uniqueid = 1\n    state = ESTABLISHED\n    child-sas {\n      lan-1 {\n        uniqueid = 1\n        state = INSTALLED\n        bytes-in = -1\n        packets-in = 1\n        bytes-out = 1\n        packets-out = 1\n      }\n    }\n  }\n}\n" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_ReturnsFalse_WithAReason_AndNoSas(string name, string text)
    {
        Assert.False(SwanctlSasParser.TryParse(text, out var sas, out var error), name);
        Assert.NotEmpty(error);
        Assert.Empty(sas);
    }
}
