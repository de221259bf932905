// `pgate ems admin add|passwd|role|remove|list`: the web console's admin accounts (docs/console.md).
using System.CommandLine;
using PostureGate.Web.Accounts;

namespace PostureGate.Ems.Cli;

internal static class AdminCommand
{
    public static Command Create(EmsCli cli)
    {
        var command = new Command("admin", "Web console admin accounts");
        var passwordFile = new Option<string?>("--password-file")
        {
            Description = "read the password from this file's first line (default: a random one, printed once)",
        };
        var role = new Option<string>("--role")
        {
            Description = "read-only or read-write",
            DefaultValueFactory = _ => AdminRoles.ReadWriteText,
            HelpName = "read-only|read-write",
        };

        var addName = new Argument<string>("NAME") { Description = "admin user name (letters, digits, . _ @ -)" };
        var add = new Command("add", "Add an admin account") { addName, role, passwordFile };
        add.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            if (AdminUserName.Normalize(parse.GetValue(addName)) is not { } name)
                return EmsCli.Fail(parse, $"admin name must be 1-{AdminUserName.MaxLength} letters, digits, '.', '_', '@' or '-'");
            if (!AdminRoles.TryParse(parse.GetValue(role), out var r))
                return EmsCli.Fail(parse, $"--role must be {AdminRoles.ReadOnlyText} or {AdminRoles.ReadWriteText}");
            if (!TryPassword(parse, passwordFile, out var password, out var generated, out var problem))
                return EmsCli.Fail(parse, problem!);
            if (!store.AddAdmin(AdminPasswords.Create(name, password!, r, store.Time.GetUtcNow())))
                return EmsCli.Fail(parse, $"admin {name} exists (pgate ems admin passwd to change the password)");
            output.WriteLine($"admin {name} added ({r.ToText()})");
            if (generated)
                output.WriteLine($"password: {password} (shown once)");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(add);

        var passwdName = new Argument<string>("NAME") { Description = "admin user name" };
        var passwd = new Command("passwd", "Set an admin's password; the admin's open sessions end") { passwdName, passwordFile };
        passwd.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            if (Find(store, parse.GetValue(passwdName)) is not { } account)
                return EmsCli.Fail(parse, $"no admin {parse.GetValue(passwdName)}");
            if (!TryPassword(parse, passwordFile, out var password, out var generated, out var problem))
                return EmsCli.Fail(parse, problem!);
            store.UpdateAdmin(account with { PasswordHash = AdminPasswords.Hash(password!), Stamp = AdminPasswords.NewStamp() });
            output.WriteLine($"password of {account.Name} changed");
            if (generated)
                output.WriteLine($"password: {password} (shown once)");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(passwd);

        var roleName = new Argument<string>("NAME") { Description = "admin user name" };
        var roleCommand = new Command("role", "Change an admin's role; the admin's open sessions end") { roleName, role };
        roleCommand.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            if (Find(store, parse.GetValue(roleName)) is not { } account)
                return EmsCli.Fail(parse, $"no admin {parse.GetValue(roleName)}");
            if (!AdminRoles.TryParse(parse.GetValue(role), out var r))
                return EmsCli.Fail(parse, $"--role must be {AdminRoles.ReadOnlyText} or {AdminRoles.ReadWriteText}");
            store.UpdateAdmin(account with { Role = r, Stamp = AdminPasswords.NewStamp() });
            output.WriteLine($"{account.Name} is {r.ToText()}");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(roleCommand);

        var removeName = new Argument<string>("NAME") { Description = "admin user name" };
        var remove = new Command("remove", "Remove an admin account") { removeName };
        remove.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            if (Find(store, parse.GetValue(removeName)) is not { } account || !store.RemoveAdmin(account.Name))
                return EmsCli.Fail(parse, $"no admin {parse.GetValue(removeName)}");
            output.WriteLine($"admin {account.Name} removed");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(remove);

        var list = new Command("list", "List admin accounts and their roles");
        list.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            foreach (var a in store.ListAdmins())
                output.WriteLine($"{a.Name}  {a.Role.ToText()}");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(list);
        return command;
    }

    private static AdminAccount? Find(Storage.EmsStore store, string? name)
        => AdminUserName.Normalize(name) is { } normalized ? store.FindAdmin(normalized) : null;

    private static bool TryPassword(ParseResult parse, Option<string?> file, out string? password, out bool generated, out string? problem)
    {
        generated = false;
        problem = null;
        if (parse.GetValue(file) is not { } path)
        {
            password = AdminPasswords.RandomPassword();
            generated = true;
            return true;
        }
        try
        {
            password = File.ReadLines(path).FirstOrDefault() ?? "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            password = null;
            problem = $"--password-file {path}: {e.Message}";
            return false;
        }
        problem = AdminPasswords.Check(password);
        return problem is null;
    }
}
