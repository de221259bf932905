// libFuzzer entry for FuzzTargets (SharpFuzz). See README.md.
//   PostureGate.Fuzz TARGET               run under libFuzzer (libfuzzer-dotnet)
//   PostureGate.Fuzz afl TARGET           run under AFL++ (afl-fuzz … dotnet PostureGate.Fuzz.dll afl TARGET)
//   PostureGate.Fuzz replay TARGET DIR    run every file of DIR once, uninstrumented
using SharpFuzz;

namespace PostureGate.Fuzz;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "replay" && FuzzTargets.All.TryGetValue(args[1], out var replayed))
        {
            var files = Directory.GetFiles(args[2]);
            foreach (var file in files)
                replayed(File.ReadAllBytes(file));
            Console.WriteLine($"{files.Length} inputs ran without an exception");
            return 0;
        }
        if (args.Length == 2 && args[0] == "afl" && FuzzTargets.All.TryGetValue(args[1], out var forAfl))
        {
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                forAfl(copy.GetBuffer().AsSpan(0, (int)copy.Length));
            });
            return 0;
        }
        if (args.Length == 1 && FuzzTargets.All.TryGetValue(args[0], out var target))
        {
            Fuzzer.LibFuzzer.Run(span => target(span));
            return 0;
        }
        Console.Error.WriteLine($"usage: PostureGate.Fuzz {string.Join('|', FuzzTargets.All.Keys)} | afl TARGET | replay TARGET DIR");
        return 2;
    }
}
