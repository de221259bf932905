// `pgate ems tag add|remove TAG UID`, `pgate ems tag rule set NAME EXPR [--type N] | list | remove NAME`.
using System.CommandLine;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Cli;

internal static class TagCommand
{
    public static Command Create(EmsCli cli)
    {
        var command = new Command("tag", "Security posture tags: admin assignments and rules");
        var tag = new Argument<string>("TAG") { Description = "tag name" };
        var uid = new Argument<string>("UID") { Description = "FortiClient UID (32 hex digits)" };

        var add = new Command("add", "Assign TAG to the endpoint UID (creates the tag, type 1, if new)") { tag, uid };
        add.SetAction(parse => cli.WithStore(parse, (store, _) =>
            EmsCli.Report(parse, store.AssignTag(parse.GetValue(tag)!, parse.GetValue(uid)!), $"tag {parse.GetValue(tag)} added")));
        command.Subcommands.Add(add);

        var remove = new Command("remove", "Remove the admin assignment of TAG from UID") { tag, uid };
        remove.SetAction(parse => cli.WithStore(parse, (store, _) =>
            EmsCli.Report(parse, store.UnassignTag(parse.GetValue(tag)!, parse.GetValue(uid)!), $"tag {parse.GetValue(tag)} removed")));
        command.Subcommands.Add(remove);

        var list = new Command("list", "List tags with their type and rule");
        list.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            foreach (var t in store.ListTags())
                output.WriteLine($"{t.Name}\ttype {t.Type}\t{t.Expression ?? "(manual)"}");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(list);

        command.Subcommands.Add(CreateRule(cli));
        return command;
    }

    private static Command CreateRule(EmsCli cli)
    {
        var rule = new Command("rule", "Tag rules over endpoint facts, e.g. os.build >= 19045 and av.running");
        var name = new Argument<string>("NAME") { Description = "tag name" };
        var expression = new Argument<string>("EXPR") { Description = "rule expression (quote it)" };
        var type = new Option<int?>("--type") { Description = "the token's tag type (default 1)", HelpName = "N" };

        var set = new Command("set", "Set the rule of tag NAME and re-evaluate every endpoint") { name, expression, type };
        set.SetAction(parse => cli.WithStore(parse, (store, _) =>
            EmsCli.Report(parse, store.SetRule(parse.GetValue(name)!, parse.GetValue(expression)!, parse.GetValue(type)), $"rule {parse.GetValue(name)} set")));
        rule.Subcommands.Add(set);

        var list = new Command("list", "List tag rules");
        list.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            foreach (var t in store.ListTags().Where(t => t.Expression is not null))
                output.WriteLine($"{t.Name}\ttype {t.Type}\t{t.Expression}");
            return EmsCli.Ok;
        }));
        rule.Subcommands.Add(list);

        var remove = new Command("remove", "Remove the rule of tag NAME (admin assignments stay)") { name };
        remove.SetAction(parse => cli.WithStore(parse, (store, _) =>
            EmsCli.Report(parse, store.RemoveRule(parse.GetValue(name)!), $"rule {parse.GetValue(name)} removed")));
        rule.Subcommands.Add(remove);
        return rule;
    }
}
