// `pgate gateway admin add|passwd|role|remove|list`: the gateway console's admin accounts in
// <data>/admins.json (docs/console.md), the same words as `pgate ems admin` (Web/Accounts/AdminAccountCommands.cs).
// A running gateway sees a change at the console's next request (Admin/AdminAccountFile.cs).
using System.CommandLine;
using PostureGate.Config.Secrets;
using PostureGate.Web.Accounts;

namespace PostureGate.Gateway.Admin;

public static class AdminAccountCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = $"gateway data directory holding {AdminAccountFile.FileName}",
            DefaultValueFactory = _ => ConfigKeyFile.DefaultDataDirectory,
            Recursive = true,
        };
        var command = new Command("admin", "Console admin accounts (a running gateway applies a change at the console's next request)") { data };
        AdminAccountCommands.AddTo(command, "gateway", (parse, action) =>
        {
            AdminAccountFile accounts;
            try
            {
                accounts = AdminAccountFile.Open(parse.GetValue(data)!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return AdminAccountCommands.Fail(parse, e.Message);
            }
            try
            {
                return action(accounts, TimeProvider.System, parse.InvocationConfiguration.Output);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return AdminAccountCommands.Fail(parse, $"cannot write {accounts.Path}: {e.Message}");
            }
        });
        return command;
    }
}
