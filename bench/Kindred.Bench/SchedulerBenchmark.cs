using System.Diagnostics;
using Kindred.Models.Local;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;

namespace Kindred.Bench;

internal sealed record Measurement(int Conversations, string Runner, double TokensPerSecond, double FirstTokenMs);

/// <summary>
/// Each run starts N conversations at once with different story openings and lets each generate up to a fixed
/// number of tokens (fewer if the model ends its story). Aggregate tokens/s = generated tokens / wall time.
/// Runs alternate between the two runners so that machine noise hits both alike.
/// </summary>
internal static class SchedulerBenchmark
{
    private static readonly string[] Openings =
    [
        "Once upon a time, there was a dog", "Tom had a red ball", "The sun was hot and the bird", "Lily found a box",
        "One day a big fish", "Sue and Ben went to the park", "The little car was sad", "A cat saw a tree",
    ];

    public static List<Measurement> Run(BenchOptions options)
    {
        var maxConversations = options.Concurrency.Max();
        var contextPerConversation = 512;
        var results = new List<Measurement>();
        using var model = LocalModel.Load(new LocalModelOptions
        {
            ModelPath = options.ModelPath,
            MaxConcurrentSequences = maxConversations,
            ContextLength = contextPerConversation,
            Threads = options.Threads,
            MaxQueuedRequests = 0,
        });
        var parameters = new ModelParams(options.ModelPath)
        {
            ContextSize = (uint)(contextPerConversation * maxConversations),
            SeqMax = (uint)maxConversations,
            KVUnified = false,
            BatchSize = 512,
            UBatchSize = 512,
            Threads = options.Threads,
            BatchThreads = options.Threads,
            GpuLayerCount = 0,
        };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var executor = new BatchedExecutor(weights, parameters);

        foreach (var n in options.Concurrency)
        {
            // Warm both paths once so first-use costs are not measured.
            RunScheduler(model, n, options.TokensPerConversation);
            RunBareLoop(executor, weights, n, options.TokensPerConversation).GetAwaiter().GetResult();
            var bare = new List<(double Tps, double Ttft)>();
            var scheduled = new List<(double Tps, double Ttft)>();
            for (var rep = 0; rep < options.Repetitions; rep++)
            {
                bare.Add(RunBareLoop(executor, weights, n, options.TokensPerConversation).GetAwaiter().GetResult());
                scheduled.Add(RunScheduler(model, n, options.TokensPerConversation));
            }

            results.Add(new Measurement(n, "bare BatchedExecutor", Median(bare.Select(b => b.Tps)), Median(bare.Select(b => b.Ttft))));
            results.Add(new Measurement(n, "Kindred scheduler", Median(scheduled.Select(b => b.Tps)), Median(scheduled.Select(b => b.Ttft))));
        }

        return results;
    }

    private static (double Tps, double Ttft) RunScheduler(LocalModel model, int conversations, int tokens)
    {
        var settings = new GenerationSettings(new SamplingSettings { Temperature = 0.8f, RepeatPenalty = 1f, Seed = 1 }, tokens, []);
        var firstTokens = new double[conversations];
        var stats = Enumerable.Range(0, conversations).Select(_ => new GenerationStats()).ToArray();
        var clock = Stopwatch.StartNew();
        var runs = Enumerable.Range(0, conversations).Select(async i =>
        {
            var prompt = model.TokenizePrompt(Openings[i % Openings.Length]);
            var first = true;
            await foreach (var _ in model.Scheduler.GenerateAsync(prompt, settings, stats[i]))
            {
                if (first)
                {
                    firstTokens[i] = clock.Elapsed.TotalMilliseconds;
                    first = false;
                }
            }
        }).ToArray();
        Task.WaitAll(runs);
        var elapsed = clock.Elapsed.TotalSeconds;
        return (stats.Sum(s => s.GeneratedTokens) / elapsed, Median(firstTokens));
    }

    // The loop LLamaSharp's own examples use: prompt every conversation, then Infer / sample / prompt until done.
    private static async Task<(double Tps, double Ttft)> RunBareLoop(BatchedExecutor executor, LLamaWeights weights, int conversations, int tokens)
    {
        var vocab = weights.NativeHandle.Vocab;
        var clock = Stopwatch.StartNew();
        var active = new List<(Conversation Conversation, DefaultSamplingPipeline Sampler, int Generated, int Index)>();
        for (var i = 0; i < conversations; i++)
        {
            var conversation = executor.Create();
            conversation.Prompt(weights.Tokenize(Openings[i % Openings.Length], true, false, System.Text.Encoding.UTF8));
            active.Add((conversation, new DefaultSamplingPipeline { Temperature = 0.8f, RepeatPenalty = 1f, Seed = 1 }, 0, i));
        }

        var firstTokens = new double[conversations];
        var generated = 0;
        while (active.Count > 0)
        {
            var result = await executor.Infer();
            if (result != DecodeResult.Ok)
            {
                throw new InvalidOperationException($"Infer failed: {result}");
            }

            for (var i = active.Count - 1; i >= 0; i--)
            {
                var (conversation, sampler, count, index) = active[i];
                if (conversation.RequiresInference)
                {
                    continue;
                }

                var token = sampler.Sample(executor.Context.NativeHandle, conversation.GetSampleIndex());
                if (count == 0)
                {
                    firstTokens[index] = clock.Elapsed.TotalMilliseconds;
                }

                if (token.IsEndOfGeneration(vocab) || count + 1 >= tokens)
                {
                    generated += token.IsEndOfGeneration(vocab) ? count : count + 1;
                    conversation.Dispose();
                    sampler.Dispose();
                    active.RemoveAt(i);
                    continue;
                }

                conversation.Prompt(token);
                active[i] = (conversation, sampler, count + 1, index);
            }
        }

        return (generated / clock.Elapsed.TotalSeconds, Median(firstTokens));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
