using Kindred.Models.Gguf;
using Kindred.Models.Tests.TestSupport;
namespace Kindred.Models.Tests.Gguf;
public sealed class ZzScratchTests
{
    [Fact]
    public void Big()
    {
        using var temp = new TempDirectory();
        const int n = 152_000;
        var tokens = Enumerable.Range(0, n).Select(i => "tok" + i).ToArray();
        var b = GgufBuilder.MinimalModel(n, "gpt2").StringArray("tokenizer.ggml.merges", Enumerable.Range(0, n).Select(i => "t" + i + " x"));
        b.StringArray("tokenizer.ggml.tokens", tokens);
        var p = temp.Write("big.gguf", b.Build());
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var info = GgufValidator.Validate(p);
        File.WriteAllText("/tmp/kindred-big.txt", $"{sw.ElapsedMilliseconds} ms, {(GC.GetAllocatedBytesForCurrentThread()-before)/1e6:F1} MB, vocab {info.VocabularySize}, file {new FileInfo(p).Length}");
    }
}
