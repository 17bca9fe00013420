using System.Diagnostics;
using Kindred.Models.Local;
using LLama;
using LLama.Native;

namespace Kindred.Bench;

/// <summary>
/// What llama.cpp itself can do on this machine: N sequences, each 100 tokens in, decoded one token each per step
/// in a tight loop with no sampling, no detokenising and no threads but llama.cpp's own. No scheduler can batch
/// better than this, so it shows how much of the batching gain the model and machine allow.
/// </summary>
internal static class DecodeCeiling
{
    private const int PromptTokens = 100;
    private const int Steps = 200;

    public static List<(int Conversations, double TokensPerSecond)> Run(BenchOptions options)
    {
        var maxConversations = options.Concurrency.Max();
        var parameters = LocalModel.Parameters(
            new LocalModelOptions
            {
                ModelPath = options.ModelPath,
                MaxConcurrentSequences = maxConversations,
                Threads = options.Threads,
                FlashAttention = options.FlashAttention,
            },
            contextLength: 512);
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        var batch = new LLamaBatch();
        var results = new List<(int, double)>();
        foreach (var n in options.Concurrency)
        {
            var runs = new List<double>();
            for (var rep = 0; rep < options.Repetitions; rep++)
            {
                context.NativeHandle.MemoryClear();
                for (var s = 0; s < n; s++)
                {
                    batch.Clear();
                    for (var i = 0; i < PromptTokens; i++)
                    {
                        batch.Add(5 + (i % 50), i, (LLamaSeqId)s, i == PromptTokens - 1);
                    }

                    context.NativeHandle.Decode(batch);
                }

                var clock = Stopwatch.StartNew();
                for (var step = 0; step < Steps; step++)
                {
                    batch.Clear();
                    for (var s = 0; s < n; s++)
                    {
                        batch.Add(7, PromptTokens + step, (LLamaSeqId)s, true);
                    }

                    context.NativeHandle.Decode(batch);
                }

                runs.Add(n * Steps / clock.Elapsed.TotalSeconds);
            }

            results.Add((n, runs.Order().ElementAt(runs.Count / 2)));
        }

        return results;
    }
}
