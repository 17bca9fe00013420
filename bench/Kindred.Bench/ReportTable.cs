using System.Globalization;

namespace Kindred.Bench;

internal static class ReportTable
{
    public static void Print(List<Measurement> results)
    {
        var single = results.FirstOrDefault(r => r.Conversations == 1 && r.Runner == "Kindred scheduler");
        Console.WriteLine();
        Console.WriteLine("| conversations | runner | aggregate tok/s | time to first token (ms, median) | scheduler / bare | vs 1 conversation |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|");
        foreach (var group in results.GroupBy(r => r.Conversations))
        {
            var bare = group.Single(r => r.Runner != "Kindred scheduler");
            foreach (var r in group)
            {
                var ratio = r == bare ? "1.00 (baseline)" : F(r.TokensPerSecond / bare.TokensPerSecond);
                var scale = single is null || r.Runner != single.Runner ? "" : F(r.TokensPerSecond / single.TokensPerSecond) + "×";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Conversations} | {r.Runner} | {r.TokensPerSecond:0} | {r.FirstTokenMs:0.0} | {ratio} | {scale} |"));
            }
        }
    }

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static void PrintCeiling(List<(int Conversations, double TokensPerSecond)> ceiling)
    {
        var single = ceiling.FirstOrDefault(c => c.Conversations == 1).TokensPerSecond;
        Console.WriteLine();
        Console.WriteLine("llama.cpp decode ceiling (no sampling, no scheduler):");
        Console.WriteLine();
        Console.WriteLine("| conversations | tok/s | vs 1 conversation |");
        Console.WriteLine("|---:|---:|---:|");
        foreach (var (n, tps) in ceiling)
        {
            var scale = single > 0 ? F(tps / single) + "×" : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {n} | {tps:0} | {scale} |"));
        }
    }
}
