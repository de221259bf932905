using System.Text;

namespace PostureGate.Config.Tests;

/// <summary>
/// Random valid configurations, written in varied (non-canonical) style: random
/// indentation, quoting, prefix notation, attributes left at defaults. Every
/// reference points at an object generated before it.
/// </summary>
internal static class ConfigGenerator
{
    private static readonly string[] P1Proposals = ["aes128-sha256", "aes256-sha256", "aes128gcm-prfsha256", "aes256gcm-prfsha384", "chacha20poly1305-prfsha256", "aes256-sha512"];
    private static readonly string[] P2Proposals = ["aes128-sha1", "aes256-sha256", "aes128gcm", "aes256gcm", "chacha20poly1305"];
    private static readonly string[] Groups = ["14", "15", "16", "19", "20", "21", "31"];

    public static string Generate(int seed)
    {
        var r = new Random(seed);
        var sb = new StringBuilder();
        var w = new Writer(sb, r);
        if (r.Next(2) == 0)
            sb.Append("#config-version=FGT-7.4.4:opmode=0:vdom=0\n");
        if (r.Next(2) == 0)
        {
            w.Open("system settings");
            w.Set("ike-port", r.Next(1, 65536).ToString());
            w.Close();
        }
        if (r.Next(2) == 0)
        {
            w.Open("system dns");
            w.Set("primary", Ip(r));
            w.Close();
        }
        var intfs = Names(r, "port", 1, 4);
        w.Open("system interface");
        foreach (var n in intfs)
        {
            w.Edit(n);
            w.Set("ip", $"{Ip(r)} {Mask(r)}");
            if (r.Next(2) == 0) w.Set("alias", w.Str(RandomText(r, 10)));
            if (r.Next(3) == 0) w.Set("mtu", "1500");
            w.Next();
        }
        w.Close();
        var users = Names(r, "user", 1, 4);
        w.Open("user local");
        foreach (var u in users)
        {
            w.Edit(u);
            w.Set("passwd", w.Str(RandomText(r, 16)));
            w.Next();
        }
        w.Close();
        var groups = Names(r, "grp", 1, 3);
        w.Open("user group");
        foreach (var g in groups)
        {
            w.Edit(g);
            w.Set("member", string.Join(' ', Pick(r, users).Select(w.Str)));
            w.Next();
        }
        w.Close();
        var (locals, peers) = Certificates(r, w);
        var ems = Enumerable.Range(1, 7).Where(_ => r.Next(2) == 0).DefaultIfEmpty(1).ToArray();
        w.Open("endpoint-control fctems");
        foreach (var id in ems)
        {
            w.Edit(id.ToString(), numbered: true);
            w.Set("status", "enable");
            w.Set("server", w.Str($"ems{id}.example.com"));
            if (r.Next(2) == 0) w.Set("api-key", w.Str(RandomText(r, 24)));
            if (r.Next(2) == 0) w.Set("out-of-sync-threshold", r.Next(10, 3601).ToString());
            if (r.Next(2) == 0) w.Set("serial-number", w.Str($"FCTEMS{r.Next(100000000, 999999999)}"));
            w.Next();
        }
        w.Close();
        var ranges = Names(r, "range", 1, 3);
        var nets = Names(r, "net", 1, 3);
        var tagNames = ems.Select(id => $"EMS{id}_ZTNA_tag{r.Next(100)}").Distinct().ToArray();
        w.Open("firewall address");
        foreach (var n in ranges)
        {
            w.Edit(n);
            w.Set("type", "iprange");
            var start = r.Next(1, 100);
            var net = $"10.{r.Next(256)}.{r.Next(256)}";
            w.Set("start-ip", $"{net}.{start}");
            w.Set("end-ip", $"{net}.{start + r.Next(0, 150)}");
            w.Next();
        }
        foreach (var n in nets)
        {
            w.Edit(n);
            if (r.Next(2) == 0) w.Set("type", "ipmask");
            w.Set("subnet", r.Next(2) == 0 ? $"{Ip(r)}/{r.Next(0, 33)}" : $"{Ip(r)} {Mask(r)}");
            if (r.Next(3) == 0) w.Set("comment", w.Str(RandomText(r, 20)));
            w.Next();
        }
        foreach (var t in tagNames)
        {
            w.Edit(t);
            w.Set("type", "dynamic");
            w.Set("sub-type", "ems-tag");
            w.Next();
        }
        w.Close();
        var addrgrps = Names(r, "ag", 0, 2);
        if (addrgrps.Length > 0)
        {
            w.Open("firewall addrgrp");
            foreach (var g in addrgrps)
            {
                w.Edit(g);
                w.Set("member", string.Join(' ', Pick(r, nets.Concat(ranges).Append("all").ToArray()).Select(w.Str)));
                w.Next();
            }
            w.Close();
        }
        var addressObjects = nets.Concat(ranges).Concat(addrgrps).Append("all").ToArray();
        var tunnels = Names(r, "vpn", 1, 3);
        w.Open("vpn ipsec phase1-interface");
        foreach (var t in tunnels)
        {
            w.Edit(t);
            w.Set("type", "dynamic");
            w.Set("interface", w.Str(One(r, intfs)));
            w.Set("ike-version", "2");
            var signature = locals.Length > 0 && r.Next(2) == 0;
            var eap = r.Next(2) == 0;
            if (signature)
            {
                w.Set("authmethod", "signature");
                w.Set("certificate", string.Join(' ', Pick(r, locals).Select(w.Str)));
                // The peer authenticates with a certificate without EAP, or before it with eap-cert-auth.
                var deviceRound = eap && r.Next(2) == 0;
                if (!eap || deviceRound)
                    w.Set("peer", w.Str(One(r, peers)));
                else
                    w.Set("peertype", "any");
                if (deviceRound)
                    w.Set("eap-cert-auth", "enable");
            }
            else
            {
                w.Set("psksecret", w.Str(RandomText(r, 20)));
            }
            w.Set("proposal", string.Join(' ', Pick(r, P1Proposals)));
            if (r.Next(2) == 0) w.Set("dhgrp", string.Join(' ', Pick(r, Groups)));
            var dpd = One(r, ["disable", "on-idle", "on-demand"]);
            if (r.Next(2) == 0) w.Set("dpd", dpd);
            if (dpd != "disable" && r.Next(2) == 0) w.Set("dpd-retryinterval", r.Next(1, 3601).ToString());
            if (r.Next(2) == 0) w.Set("keylife", r.Next(120, 172801).ToString());
            if (eap)
            {
                w.Set("eap", "enable");
                w.Set("eap-identity", "send-request");
                w.Set("authusrgrp", w.Str(One(r, groups)));
            }
            if (r.Next(2) == 0)
            {
                w.Set("mode-cfg", "enable");
                if (r.Next(2) == 0)
                {
                    w.Set("assign-ip-from", "name");
                    w.Set("ipv4-name", w.Str(One(r, ranges)));
                }
                else
                {
                    w.Set("ipv4-start-ip", "10.139.1.2");
                    w.Set("ipv4-end-ip", $"10.139.1.{r.Next(2, 255)}");
                }
                w.Set("ipv4-split-include", w.Str(One(r, addressObjects)));
                if (r.Next(2) == 0) w.Set("dns-mode", "auto");
                else w.Set("ipv4-dns-server1", Ip(r));
            }
            switch (r.Next(5))
            {
                case 0:
                    w.Set("remote-gw-match", "ztna");
                    w.Set("remote-gw-ztna-tags", string.Join(' ', Pick(r, tagNames).Select(w.Str)));
                    break;
                case 1:
                    w.Set("remote-gw-match", "ipmask");
                    w.Set("remote-gw-subnet", $"{Ip(r)} {Mask(r)}");
                    break;
                case 2:
                    w.Set("remote-gw-match", "iprange");
                    w.Set("remote-gw-start-ip", "198.51.100.1");
                    w.Set("remote-gw-end-ip", $"198.51.100.{r.Next(1, 256)}");
                    break;
                case 3:
                    w.Set("remote-gw-match", "geography");
                    w.Set("remote-gw-country", w.Str(One(r, ["US", "FR", "JP"])));
                    break;
            }
            w.Next();
        }
        w.Close();
        w.Open("vpn ipsec phase2-interface");
        foreach (var t in tunnels)
        {
            w.Edit(t);
            w.Set("phase1name", w.Str(t));
            if (r.Next(2) == 0) w.Set("proposal", string.Join(' ', Pick(r, P2Proposals)));
            if (r.Next(2) == 0) w.Set("pfs", "disable");
            if (r.Next(2) == 0) w.Set("keylifeseconds", r.Next(120, 172801).ToString());
            if (r.Next(2) == 0)
            {
                w.Set("src-addr-type", "name");
                w.Set("src-name", w.Str(One(r, addressObjects)));
            }
            w.Next();
        }
        w.Close();
        w.Open("firewall policy");
        var ids = Enumerable.Range(0, r.Next(1, 5)).Select(_ => r.Next(0, 1000)).Distinct();
        foreach (var id in ids)
        {
            w.Edit(id.ToString(), numbered: true);
            if (r.Next(2) == 0) w.Set("name", w.Str(RandomText(r, 12)));
            w.Set("srcintf", string.Join(' ', Pick(r, tunnels.Append("any").ToArray()).Select(w.Str)));
            w.Set("dstintf", string.Join(' ', Pick(r, intfs).Select(w.Str)));
            w.Set("srcaddr", string.Join(' ', Pick(r, addressObjects).Select(w.Str)));
            w.Set("dstaddr", string.Join(' ', Pick(r, addressObjects).Select(w.Str)));
            var action = One(r, ["accept", "deny"]);
            w.Set("action", action);
            w.Set("schedule", w.Str("always"));
            w.Set("service", string.Join(' ', Pick(r, ["ALL", "HTTPS", "SSH", "DNS", "PING"]).Select(w.Str)));
            if (action == "accept" && r.Next(2) == 0) w.Set("nat", "enable");
            w.Next();
        }
        w.Close();
        return sb.ToString();
    }

    /// <summary>Sometimes a CA, one or two local certificates and user peers; the names, for the phase1s.</summary>
    private static (string[] Locals, string[] Peers) Certificates(Random r, Writer w)
    {
        if (r.Next(2) == 0)
            return ([], []);
        var c = Tests.Certificates.TestCertificates.Instance;
        w.Open("vpn certificate ca");
        w.Edit("ca1");
        w.Set("ca", w.Str(c.CaPem.TrimEnd('\n')));
        if (r.Next(2) == 0) w.Set("range", One(r, ["global", "vdom"]));
        w.Next();
        w.Close();
        var locals = new List<string> { "gw-ec" };
        w.Open("vpn certificate local");
        w.Edit("gw-ec");
        w.Set("private-key", w.Str(c.GatewayEcKeyPem.TrimEnd('\n')));
        w.Set("certificate", w.Str(c.GatewayEcPem.TrimEnd('\n')));
        w.Next();
        // Opening the encrypted RSA key is the slow part of a load: only now and then.
        if (r.Next(4) == 0)
        {
            locals.Add("gw-rsa");
            w.Edit("gw-rsa");
            w.Set("certificate", w.Str(c.GatewayRsaPem.TrimEnd('\n')));
            w.Set("private-key", w.Str(c.GatewayRsaEncryptedKeyPem.TrimEnd('\n')));
            w.Set("password", w.Str("key-password"));
            w.Next();
        }
        w.Close();
        var peers = Names(r, "peer", 1, 3);
        w.Open("user peer");
        foreach (var p in peers)
        {
            w.Edit(p);
            w.Set("ca", w.Str("ca1"));
            if (r.Next(2) == 0) w.Set("subject", w.Str("CN=vpn.example.com"));
            if (r.Next(2) == 0)
            {
                w.Set("cn", w.Str("vpn.example.com"));
                if (r.Next(2) == 0) w.Set("cn-type", "FQDN");
            }
            w.Next();
        }
        w.Close();
        return (locals.ToArray(), peers);
    }

    private static string Ip(Random r) => $"{r.Next(1, 224)}.{r.Next(256)}.{r.Next(256)}.{r.Next(256)}";

    private static string Mask(Random r)
    {
        var len = r.Next(0, 33);
        var m = len == 0 ? 0u : uint.MaxValue << (32 - len);
        return $"{m >> 24}.{(m >> 16) & 255}.{(m >> 8) & 255}.{m & 255}";
    }

    private static string[] Names(Random r, string prefix, int min, int max) =>
        Enumerable.Range(1, r.Next(min, max + 1)).Select(i => $"{prefix}{i}").ToArray();

    private static string One(Random r, string[] items) => items[r.Next(items.Length)];

    private static string[] Pick(Random r, string[] items)
    {
        var picked = items.Where(_ => r.Next(2) == 0).ToArray();
        return picked.Length == 0 ? [One(r, items)] : picked;
    }

    /// <summary>Printable text including the characters that need escaping.</summary>
    private static string RandomText(Random r, int max)
    {
        const string chars = "abcXYZ019 _-#\"\\\t./:";
        var n = r.Next(1, max + 1);
        return string.Create(n, r, (span, rr) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = chars[rr.Next(chars.Length)];
        });
    }

    private sealed class Writer(StringBuilder sb, Random r)
    {
        private string Indent(int level) => r.Next(4) switch
        {
            0 => new string('\t', level),
            1 => new string(' ', level * 2),
            _ => new string(' ', level * 4),
        };

        public void Open(string path) => sb.Append(Indent(0)).Append("config ").Append(path).Append('\n');

        public void Close() => sb.Append(Indent(0)).Append("end").Append(r.Next(5) == 0 ? "\r\n" : "\n");

        public void Edit(string name, bool numbered = false) => sb.Append(Indent(1)).Append("edit ").Append(numbered ? name : Str(name)).Append('\n');

        public void Next() => sb.Append(Indent(1)).Append("next\n");

        public void Set(string attribute, string value) => sb.Append(Indent(2)).Append("set ").Append(attribute).Append(' ').Append(value).Append('\n');

        /// <summary>Bare when it can be, quoted otherwise or at random.</summary>
        public string Str(string s) =>
            s.Length > 0 && r.Next(2) == 0 && !s.AsSpan().ContainsAny(" \t\"\\#")
                ? s
                : Printing.ConfigPrinter.Quote(s);
    }
}
