using System.Globalization;
using Kindred.Bench;

// Scheduler throughput benchmark: Kindred's BatchScheduler against a bare BatchedExecutor loop, in the same run.
// Usage: dotnet run -c Release --project bench/Kindred.Bench -- [--model PATH] [--threads N] [--tokens N] [--reps N]
//        [--concurrency 1,8,32] [--conversations N (per run, shared among the slots)] [--flash-attention on|off|auto]
var options = BenchOptions.Parse(args);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"model {Path.GetFileName(options.ModelPath)}, {options.Threads} threads, flash attention {options.FlashAttention?.ToString() ?? "auto"}, {options.TotalConversations} conversations of up to {options.TokensPerConversation} tokens per run, median of {options.Repetitions} runs"));
var results = SchedulerBenchmark.Run(options);
ReportTable.Print(results);
ReportTable.PrintCeiling(DecodeCeiling.Run(options));
return 0;
