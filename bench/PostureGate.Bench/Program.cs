// PostureGate benchmarks. `dotnet run -c Release --project bench/PostureGate.Bench -- [NAME…]`
// lists or runs them. Each benchmark reports its figure beside a baseline measured
// in the same run (the machine is shared and noisy), as a ratio.
using System.Reflection;

namespace PostureGate.Bench;

/// <summary>One benchmark; found by reflection so each lives in its own file.</summary>
public interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    /// <summary>Runs and prints its figures; returns non-zero when a correctness check inside fails.</summary>
    int Run(string[] args);
}

public static class Program
{
    public static int Main(string[] args)
    {
        var all = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
        if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
        {
            Console.WriteLine("usage: dotnet run -c Release --project bench/PostureGate.Bench -- NAME [ARGS…] | all");
            foreach (var b in all)
                Console.WriteLine($"  {b.Name,-28} {b.Description}");
            return 0;
        }
        var selected = args[0] == "all" ? all : all.Where(b => b.Name == args[0]).ToList();
        if (selected.Count == 0)
        {
            Console.Error.WriteLine($"unknown benchmark '{args[0]}'");
            return 2;
        }
        var rc = 0;
        foreach (var b in selected)
        {
            Console.WriteLine($"== {b.Name}: {b.Description}");
            rc |= b.Run(args.Skip(1).ToArray());
        }
        return rc;
    }
}
