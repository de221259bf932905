// `pgate ems endpoint list | show UID | pending | approve UID | revoke UID`. `show` prints the
// record in the layout of FortiOS `diagnose endpoint ec-shm list`, plus the tags and facts.
using System.CommandLine;
using System.Text.Json;
using PostureGate.Ems.Model;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Cli;

internal static class EndpointCommand
{
    public static Command Create(EmsCli cli)
    {
        var command = new Command("endpoint", "Registered endpoints");

        var list = new Command("list", "List endpoints: UID, host, user, IP, status, tags");
        list.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            output.WriteLine($"{"UID",-32}  {"HOST",-20}  {"USER",-12}  {"IP",-15}  {"STATUS",-7}  TAGS");
            foreach (var e in store.ListEndpoints())
                output.WriteLine($"{e.Uid,-32}  {e.Host,-20}  {e.User,-12}  {e.Ip ?? "-",-15}  {(store.IsOnline(e) ? "online" : "offline"),-7}  {string.Join(',', e.Tags.Select(t => t.Name))}");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(list);

        var uid = new Argument<string>("UID") { Description = "FortiClient UID (32 hex digits)" };
        var show = new Command("show", "Show one endpoint");
        show.Arguments.Add(uid);
        show.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            if (store.FindByUid(parse.GetValue(uid)!) is not { } endpoint)
                return EmsCli.Fail(parse, $"no endpoint with uid {parse.GetValue(uid)}");
            Print(output, store, endpoint);
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(show);

        var pending = new Command("pending", "Enrollments without a code waiting for approval");
        pending.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            output.WriteLine($"{"UID",-32}  {"FROM",-15}  {"REQUESTED",-20}  {"KEY (SHA-256 of SPKI)",-64}  STATE");
            foreach (var p in store.ListPendingEnrollments())
                output.WriteLine($"{p.Uid,-32}  {p.Peer ?? "-",-15}  {DateTimeOffset.FromUnixTimeSeconds(p.RequestedAt),-20:u}  {p.SpkiSha256,-64}  {(p.ApprovedAt is null ? "pending" : "approved")}");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(pending);

        var approveUid = new Argument<string>("UID") { Description = "FortiClient UID (32 hex digits)" };
        var approve = new Command("approve", "Approve a pending enrollment; the endpoint gets its certificate when it asks again") { approveUid };
        approve.SetAction(parse => cli.WithStore(parse, (store, _) =>
            EmsCli.Report(parse, store.ApproveEnrollment(parse.GetValue(approveUid)!), $"enrollment of {parse.GetValue(approveUid)} approved")));
        command.Subcommands.Add(approve);

        var revokeUid = new Argument<string>("UID") { Description = "FortiClient UID (32 hex digits)" };
        var revoke = new Command("revoke", "Revoke the endpoint's certificates and remove it; gateways drop its tunnels") { revokeUid };
        revoke.SetAction(parse => cli.WithStore(parse, (store, _) =>
        {
            var result = store.RevokeEndpoint(parse.GetValue(revokeUid)!);
            return EmsCli.Report(parse, result, $"endpoint {parse.GetValue(revokeUid)} revoked ({result.Detail})");
        }));
        command.Subcommands.Add(revoke);
        return command;
    }

    internal static void Print(TextWriter output, EmsStore store, EndpointRecord e)
    {
        const string indent = "                ";
        output.WriteLine("Record #0:");
        output.WriteLine($"{indent}UID = {e.Uid}");
        output.WriteLine($"{indent}IP Address = {e.Ip}");
        output.WriteLine($"{indent}MAC Address = {e.Macs.FirstOrDefault()}");
        output.WriteLine($"{indent}MAC list = {string.Join(',', e.Macs)}");
        output.WriteLine($"{indent}EMS serial number: {store.SerialNumber}");
        output.WriteLine($"{indent}EMS tenant id: {store.TenantId}");
        output.WriteLine($"{indent}Client cert SN: {e.ZtnaCertSn}");
        output.WriteLine($"{indent}Public IP address: {e.PublicIp}");
        output.WriteLine($"{indent}Online status: {(store.IsOnline(e) ? "online" : "offline")}");
        output.WriteLine($"{indent}Registration status: registered");
        output.WriteLine($"{indent}FortiClient version: {e.FctVersion}");
        output.WriteLine($"{indent}Host: {e.Host}  User: {e.User}");
        output.WriteLine($"{indent}OS: {e.Os} {e.OsVersion}".TrimEnd());
        output.WriteLine($"{indent}Last seen: {DateTimeOffset.FromUnixTimeSeconds(e.LastSeen):u}");
        output.WriteLine($"{indent}Tags: {string.Join(", ", e.Tags.Select(t => $"{t.Name}(type {t.Type})"))}");
        using var facts = JsonDocument.Parse(e.Facts);
        output.WriteLine($"{indent}Facts: {JsonSerializer.Serialize(facts.RootElement)}");
        foreach (var c in store.ListCertificates(e.Uid))
            output.WriteLine($"{indent}Certificate {c.Serial}: {DateTimeOffset.FromUnixTimeSeconds(c.NotBefore):u} .. {DateTimeOffset.FromUnixTimeSeconds(c.NotAfter):u}{(c.RevokedAt is { } r ? $", revoked {DateTimeOffset.FromUnixTimeSeconds(r):u}" : "")}");
    }
}
