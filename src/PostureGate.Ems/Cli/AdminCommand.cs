// `pgate ems admin add|passwd|role|remove|list`: the web console's admin accounts in the EMS database
// (docs/console.md); the words are shared with `pgate gateway admin` (Web/Accounts/AdminAccountCommands.cs).
using System.CommandLine;
using PostureGate.Ems.WebConsole;
using PostureGate.Web.Accounts;

namespace PostureGate.Ems.Cli;

internal static class AdminCommand
{
    public static Command Create(EmsCli cli)
    {
        var command = new Command("admin", "Web console admin accounts");
        AdminAccountCommands.AddTo(command, "ems", (parse, action)
            => cli.WithStore(parse, (store, output) => action(new EmsAdminAccounts(store), store.Time, output)));
        return command;
    }
}
