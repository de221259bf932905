// libFuzzer entry for the IKEv2 decoders and the after-decryption exchanges (SharpFuzz). See README.md.
//   PostureGate.Ike.Fuzz outer|inner|session            run under libFuzzer (libfuzzer-dotnet)
//   PostureGate.Ike.Fuzz afl outer|inner|session          run under AFL++ (fuzz/run.sh ike-outer SECONDS)
//   PostureGate.Ike.Fuzz replay outer|inner|session DIR  run every file of DIR once, uninstrumented
using PostureGate.Ike.Messages;
using PostureGate.Ike.Sa;
using SharpFuzz;

namespace PostureGate.Ike.Fuzz;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length >= 3 && args[0] == "replay")
            return Replay(Target(args[1]), args[2]);
        if (args.Length == 2 && args[0] == "afl" && Target(args[1]) is { } forAfl)
        {
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                forAfl(copy.GetBuffer().AsSpan(0, (int)copy.Length));
            });
            return 0;
        }
        if (args.Length == 1 && Target(args[0]) is { } target)
        {
            Fuzzer.LibFuzzer.Run(span => target(span));
            return 0;
        }
        Console.Error.WriteLine("usage: PostureGate.Ike.Fuzz outer|inner|session | afl outer|inner|session | replay outer|inner|session DIR");
        return 2;
    }

    private delegate void SpanTarget(ReadOnlySpan<byte> input);

    private static SpanTarget? Target(string name) => name switch
    {
        "outer" => DecoderFuzzTargets.FuzzOuter,
        "inner" => DecoderFuzzTargets.FuzzInner,
        "session" => AfterDecryptionFuzzTarget.Fuzz,
        _ => null,
    };

    private static int Replay(SpanTarget? target, string directory)
    {
        if (target is null)
            return 2;
        var files = Directory.GetFiles(directory);
        foreach (var file in files)
            target(File.ReadAllBytes(file));
        Console.WriteLine($"{files.Length} inputs ran without an exception");
        return 0;
    }
}
