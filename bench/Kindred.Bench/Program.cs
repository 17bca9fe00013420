using System.Globalization;
using Kindred.Bench;
using Kindred.Bench.Vectors;

// Benchmarks. Each prints ratios against a baseline measured in the same run.
//   dotnet run -c Release --project bench/Kindred.Bench -- [scheduler] [--model PATH] [--threads N] [--tokens N] [--reps N]
//        [--concurrency 1,8,32] [--conversations N (per run, shared among the slots)] [--flash-attention on|off|auto]
//     Kindred's BatchScheduler against a bare BatchedExecutor loop, and llama.cpp's own decode ceiling.
//   dotnet run -c Release --project bench/Kindred.Bench -- vectors [LOCOMO_FILE]
//     Exact vector search p50/p99 at 10k, 100k and 1M memories (int8 against a float32 scan), and query embedding.
//   dotnet run -c Release --project bench/Kindred.Bench -- voice [--model PATH] [--reps N]
//     End of speech -> first reply audio: VAD, STT, model first token/sentence, TTS first sentence.
//   dotnet run -c Release --project bench/Kindred.Bench -- memory [SIZE,...] [INGESTED TURNS]
//     Whole-store recall p50/p99 at 10k, 100k and 1M memories (query embedding apart), bytes on disk and in memory,
//     ingestion with embedding.
//   dotnet run -c Release --project bench/Kindred.Bench -- load [--people N] [--turns N] [--idle N] [--hold S] [--kill]
//        [--minutes N] [--reply-tokens N] [--sequences N] [--queue N] [--data DIR] [--url URL] [--server kindred.dll]
//     N people over the live WebSocket against kindred serve (built first: dotnet build -c Release src/Kindred.Cli).
if (args.Length > 0 && args[0] == "load")
{
    return await Kindred.Bench.Load.LoadBenchmark.RunAsync(Kindred.Bench.Load.LoadOptions.Parse(args));
}

if (args.Length > 0 && args[0] == "voice")
{
    var voiceOptions = BenchOptions.Parse(args);
    Kindred.Bench.Voice.VoiceLatencyBenchmark.Run(Console.Out, voiceOptions.ModelPath, voiceOptions.Repetitions);
    return 0;
}

if (args.Length > 0 && args[0] == "memory")
{
    int[]? sizes = args.Length > 1 ? [.. args[1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : null;
    var ingested = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000;
    Kindred.Bench.Memory.MemorySearchBenchmark.Run(Console.Out, sizes, ingested);
    return 0;
}

if (args.Length > 0 && args[0] == "vectors")
{
    VectorSearchBenchmark.Run(Console.Out, locomoFile: args.Length > 1 ? args[1] : null);
    return 0;
}

var options = BenchOptions.Parse(args);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"model {Path.GetFileName(options.ModelPath)}, {options.Threads} threads, flash attention {options.FlashAttention?.ToString() ?? "auto"}, {options.TotalConversations} conversations of up to {options.TokensPerConversation} tokens per run, median of {options.Repetitions} runs"));
var results = SchedulerBenchmark.Run(options);
ReportTable.Print(results);
ReportTable.PrintCeiling(DecodeCeiling.Run(options));
return 0;
