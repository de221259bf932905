// `pgate ems profile set NAME --gateway HOST [--tag T]… | list | remove NAME`: Remote Access
// profile VPN tunnels and the tags the client sends to each.
using System.CommandLine;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Cli;

internal static class ProfileCommand
{
    public static Command Create(EmsCli cli)
    {
        var command = new Command("profile", "Remote access profiles (VPN tunnels pushed to clients)");
        var name = new Argument<string>("NAME") { Description = "tunnel name" };
        var gateway = new Option<string>("--gateway") { Description = "the VPN gateway address", Required = true, HelpName = "HOST" };
        var tags = new Option<string[]>("--tag") { Description = "a tag the client sends for this tunnel (repeatable)", HelpName = "TAG" };

        var set = new Command("set", "Create or replace a profile") { name, gateway, tags };
        set.SetAction(parse => cli.WithStore(parse, (store, _) =>
            EmsCli.Report(parse, store.SetProfile(new RemoteAccessProfile(parse.GetValue(name)!, parse.GetValue(gateway)!, parse.GetValue(tags) ?? [])), $"profile {parse.GetValue(name)} saved")));
        command.Subcommands.Add(set);

        var list = new Command("list", "List profiles");
        list.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            foreach (var p in store.ListProfiles())
                output.WriteLine($"{p.Name}\t{p.Gateway}\t{string.Join(',', p.Tags)}");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(list);

        var remove = new Command("remove", "Remove a profile") { name };
        remove.SetAction(parse => cli.WithStore(parse, (store, _) =>
            EmsCli.Report(parse, store.RemoveProfile(parse.GetValue(name)!), $"profile {parse.GetValue(name)} removed")));
        command.Subcommands.Add(remove);
        return command;
    }
}
