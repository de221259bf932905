// `pgate ems invite create [--uses N] [--expires DURATION] | list | delete ID` (FortiClient EMS
// invitations) and `pgate ems enrollment [--without-code refuse|pending]`.
using System.CommandLine;

namespace PostureGate.Ems.Cli;

internal static class InviteCommand
{
    public static Command Create(EmsCli cli)
    {
        var command = new Command("invite", "Invitation codes endpoints enroll with");

        var uses = new Option<int>("--uses") { Description = "how many endpoints may enroll with it", DefaultValueFactory = _ => 1, HelpName = "N" };
        var expires = new Option<string?>("--expires") { Description = "valid for this long (e.g. 24h, 7d); default: no expiry", HelpName = "DURATION" };
        var create = new Command("create", "Make an invitation code (shown once; only its digest is stored)") { uses, expires };
        create.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            TimeSpan? lifetime = null;
            if (parse.GetValue(expires) is { } text)
            {
                if (!DurationText.TryParse(text, out var parsed))
                    return EmsCli.Fail(parse, $"--expires '{text}' is not a duration like 24h, 7d, 30m");
                lifetime = parsed;
            }
            var (result, code) = store.CreateInvite(parse.GetValue(uses), lifetime);
            if (!result.Succeeded)
                return EmsCli.Fail(parse, result.Detail!);
            output.WriteLine($"invitation code: {code}");
            output.WriteLine($"id {result.Detail}, {parse.GetValue(uses)} use(s), {(lifetime is { } l ? $"expires {store.Time.GetUtcNow() + l:u}" : "no expiry")}");
            output.WriteLine("(shown once; an endpoint enrolls with: pgate client connect --invite CODE ...)");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(create);

        var list = new Command("list", "List invitations: id, uses, expiry");
        list.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            output.WriteLine($"{"ID",-8}  {"USED",-11}  {"CREATED",-20}  EXPIRES");
            foreach (var i in store.ListInvites())
                output.WriteLine($"{i.Id,-8}  {$"{i.Used}/{i.MaxUses}",-11}  {DateTimeOffset.FromUnixTimeSeconds(i.CreatedAt),-20:u}  {(i.ExpiresAt is { } e ? DateTimeOffset.FromUnixTimeSeconds(e).ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "never")}");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(list);

        var id = new Argument<string>("ID") { Description = "the invitation's id (pgate ems invite list)" };
        var delete = new Command("delete", "Withdraw an invitation") { id };
        delete.SetAction(parse => cli.WithStore(parse, (store, _) =>
            EmsCli.Report(parse, store.DeleteInvite(parse.GetValue(id)!), $"invitation {parse.GetValue(id)} deleted")));
        command.Subcommands.Add(delete);
        return command;
    }

    public static Command EnrollmentPolicy(EmsCli cli)
    {
        var withoutCode = new Option<string?>("--without-code")
        {
            Description = "an enrollment without an invitation code: refuse it, or keep it pending until `pgate ems endpoint approve UID`",
            HelpName = "refuse|pending",
        };
        withoutCode.AcceptOnlyFromAmong("refuse", "pending");
        var command = new Command("enrollment", "Show or set how enrollments without an invitation code are handled") { withoutCode };
        command.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            if (parse.GetValue(withoutCode) is { } value
                && EmsCli.Report(parse, store.SetEnrollmentWithoutCode(value == "pending"), "enrollment policy saved") != EmsCli.Ok)
                return EmsCli.Failed;
            output.WriteLine($"without an invitation code: {(store.EnrollmentWithoutCodePending ? "pending until approved" : "refused")}");
            return EmsCli.Ok;
        }));
        return command;
    }
}
