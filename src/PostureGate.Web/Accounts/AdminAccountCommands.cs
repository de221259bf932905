// `pgate ems admin …` and `pgate gateway admin …` (add|passwd|role|remove|list): the console's
// admin accounts from the command line, over whichever store the product keeps them in. A password
// comes from --password-file or is made at random and printed once; it is
// never an argument, so it never lands in the shell history or the process list.
using System.CommandLine;

namespace PostureGate.Web.Accounts;

public static class AdminAccountCommands
{
    public const int Ok = 0;
    public const int Failed = 1;

    /// <summary>Opens the product's store, runs the action on it, closes it; reports a store that cannot be opened itself.</summary>
    public delegate int WithAccounts(ParseResult parse, Func<IAdminAccountStore, TimeProvider, TextWriter, int> action);

    /// <summary>Adds add, passwd, role, remove and list to <paramref name="command"/>; <paramref name="product"/> names it in hints ("ems", "gateway").</summary>
    public static void AddTo(Command command, string product, WithAccounts withAccounts)
    {
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
        add.SetAction(parse => withAccounts(parse, (accounts, time, output) =>
        {
            if (AdminUserName.Normalize(parse.GetValue(addName)) is not { } name)
                return Fail(parse, $"admin name must be 1-{AdminUserName.MaxLength} letters, digits, '.', '_', '@' or '-'");
            if (!AdminRoles.TryParse(parse.GetValue(role), out var r))
                return Fail(parse, $"--role must be {AdminRoles.ReadOnlyText} or {AdminRoles.ReadWriteText}");
            if (!TryPassword(parse.GetValue(passwordFile), out var password, out var generated, out var problem))
                return Fail(parse, problem!);
            if (!accounts.Add(AdminPasswords.Create(name, password!, r, time.GetUtcNow())))
                return Fail(parse, $"admin {name} exists (pgate {product} admin passwd to change the password)");
            output.WriteLine($"admin {name} added ({r.ToText()})");
            if (generated)
                output.WriteLine($"password: {password} (shown once)");
            return Ok;
        }));
        command.Subcommands.Add(add);

        var passwdName = new Argument<string>("NAME") { Description = "admin user name" };
        var passwd = new Command("passwd", "Set an admin's password; the admin's open sessions end") { passwdName, passwordFile };
        passwd.SetAction(parse => withAccounts(parse, (accounts, time, output) =>
        {
            if (Find(accounts, parse.GetValue(passwdName)) is not { } account)
                return Fail(parse, $"no admin {parse.GetValue(passwdName)}");
            if (!TryPassword(parse.GetValue(passwordFile), out var password, out var generated, out var problem))
                return Fail(parse, problem!);
            accounts.Update(account with { PasswordHash = AdminPasswords.Hash(password!), Stamp = AdminPasswords.NewStamp() });
            output.WriteLine($"password of {account.Name} changed");
            if (generated)
                output.WriteLine($"password: {password} (shown once)");
            return Ok;
        }));
        command.Subcommands.Add(passwd);

        var roleName = new Argument<string>("NAME") { Description = "admin user name" };
        var roleCommand = new Command("role", "Change an admin's role; the admin's open sessions end") { roleName, role };
        roleCommand.SetAction(parse => withAccounts(parse, (accounts, time, output) =>
        {
            if (Find(accounts, parse.GetValue(roleName)) is not { } account)
                return Fail(parse, $"no admin {parse.GetValue(roleName)}");
            if (!AdminRoles.TryParse(parse.GetValue(role), out var r))
                return Fail(parse, $"--role must be {AdminRoles.ReadOnlyText} or {AdminRoles.ReadWriteText}");
            accounts.Update(account with { Role = r, Stamp = AdminPasswords.NewStamp() });
            output.WriteLine($"{account.Name} is {r.ToText()}");
            return Ok;
        }));
        command.Subcommands.Add(roleCommand);

        var removeName = new Argument<string>("NAME") { Description = "admin user name" };
        var remove = new Command("remove", "Remove an admin account") { removeName };
        remove.SetAction(parse => withAccounts(parse, (accounts, time, output) =>
        {
            if (Find(accounts, parse.GetValue(removeName)) is not { } account || !accounts.Remove(account.Name))
                return Fail(parse, $"no admin {parse.GetValue(removeName)}");
            output.WriteLine($"admin {account.Name} removed");
            return Ok;
        }));
        command.Subcommands.Add(remove);

        var list = new Command("list", "List admin accounts and their roles");
        list.SetAction(parse => withAccounts(parse, (accounts, time, output) =>
        {
            foreach (var a in accounts.List())
                output.WriteLine($"{a.Name}  {a.Role.ToText()}");
            return Ok;
        }));
        command.Subcommands.Add(list);
    }

    private static AdminAccount? Find(IAdminAccountStore accounts, string? name)
        => AdminUserName.Normalize(name) is { } normalized ? accounts.Find(normalized) : null;

    private static bool TryPassword(string? passwordFile, out string? password, out bool generated, out string? problem)
    {
        generated = false;
        problem = null;
        if (passwordFile is null)
        {
            password = AdminPasswords.RandomPassword();
            generated = true;
            return true;
        }
        try
        {
            password = File.ReadLines(passwordFile).FirstOrDefault() ?? "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            password = null;
            problem = $"--password-file {passwordFile}: {e.Message}";
            return false;
        }
        problem = AdminPasswords.Check(password);
        return problem is null;
    }

    public static int Fail(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine($"error: {message}");
        return Failed;
    }
}
