using System.Globalization;

namespace Kindred.Bench;

internal sealed record BenchOptions(string ModelPath, int Threads, int TokensPerConversation, int Repetitions, int[] Concurrency, int TotalConversations, bool? FlashAttention)
{
    public static BenchOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }

        var model = Value("--model", "");
        model = model.Length > 0 ? model : Kindred.Testing.SharedModels.Stories260K;
        return new BenchOptions(
            model,
            int.Parse(Value("--threads", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
            int.Parse(Value("--tokens", "200"), CultureInfo.InvariantCulture),
            int.Parse(Value("--reps", "3"), CultureInfo.InvariantCulture),
            [.. Value("--concurrency", "1,8,32").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))],
            int.Parse(Value("--conversations", "64"), CultureInfo.InvariantCulture),
            Value("--flash-attention", "auto") switch { "on" => true, "off" => false, _ => null });
    }
}
