// Shared pieces of the `pgate ems` commands: the --data option, opening the store, printing a
// store result. Admin subcommands work on the data directory directly (SQLite WAL, short
// transactions), so they run with or without the server and beside it.
using System.CommandLine;
using PostureGate.Ems.Model;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Cli;

internal sealed class EmsCli
{
    public const int Ok = 0;
    public const int Failed = 1;

    public Option<string> Data { get; } = new("--data")
    {
        Description = "EMS data directory (database, keys, certificate)",
        DefaultValueFactory = _ => EmsOptions.DefaultDataDirectory,
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<string?> Database { get; } = new("--database")
    {
        Description = "PostgreSQL database shared by several EMS nodes (Npgsql connection string: \"Host=...;Database=...;Username=...;Passfile=...\"); default: SQLite in --data",
        HelpName = "CONNECTION-STRING",
        Recursive = true,
    };

    public Option<string?> KeyFile { get; } = new("--key-file")
    {
        Description = "with --database: the node key file sealing the private keys all nodes share (default: cluster.key in --data, made by the first node)",
        HelpName = "FILE",
        Recursive = true,
    };

    public EmsStore OpenStore(ParseResult parse) => EmsStore.Open(parse.GetValue(Data)!, database: parse.GetValue(Database), keyFile: parse.GetValue(KeyFile));

    /// <summary>Runs <paramref name="action"/> on the store, turning a refusal into a message and exit code 1.</summary>
    public int WithStore(ParseResult parse, Func<EmsStore, TextWriter, int> action)
    {
        var output = parse.InvocationConfiguration.Output;
        EmsStore store;
        try
        {
            store = OpenStore(parse);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or System.Data.Common.DbException)
        {
            return Fail(parse, parse.GetValue(Database) is null ? $"cannot open the EMS data directory {parse.GetValue(Data)}: {e.Message}" : $"cannot open the EMS database (--database): {e.Message}");
        }
        using (store)
            return action(store, output);
    }

    public static int Report(ParseResult parse, EmsResult result, string done)
    {
        if (!result.Succeeded)
        {
            parse.InvocationConfiguration.Error.WriteLine($"error: {result.Detail}");
            return Failed;
        }
        var note = result.Outcome == EmsOutcome.Unchanged ? " (no change)" : "";
        parse.InvocationConfiguration.Output.WriteLine($"{done}{note}; version {result.Version}");
        return Ok;
    }

    public static int Fail(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine($"error: {message}");
        return Failed;
    }
}
