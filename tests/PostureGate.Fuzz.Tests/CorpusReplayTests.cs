// Replays every seed-corpus file of fuzz/PostureGate.Fuzz through its target, uninstrumented, so
// CI runs the inputs the fuzzer keeps (issue 12 "Fuzzing": corpora replayed in CI). A target
// refuses bad input with its own value; an exception fails the test with the file's name.
using PostureGate.Fuzz;

namespace PostureGate.Fuzz.Tests;

public class CorpusReplayTests
{
    private static string CorpusDirectory => Path.Combine(AppContext.BaseDirectory, "corpus");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.All.Keys)
            foreach (var file in Directory.GetFiles(Path.Combine(CorpusDirectory, target)).Order(StringComparer.Ordinal))
                data.Add(target, Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Corpus_input_runs_without_an_exception(string target, string file) =>
        FuzzTargets.All[target](File.ReadAllBytes(Path.Combine(CorpusDirectory, target, file)));

    [Fact]
    public void Every_target_has_a_seed_corpus()
    {
        foreach (var target in FuzzTargets.All.Keys)
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(CorpusDirectory, target)));
    }
}
