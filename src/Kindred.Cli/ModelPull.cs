using Kindred.Models.Catalog;
using Spectre.Console;

namespace Kindred.Cli;

/// <summary>Downloads a catalog model with a progress bar; used by <c>model pull</c> and by a first <c>chat</c>.</summary>
internal static class ModelPull
{
    public static async Task<string> RunAsync(IAnsiConsole console, ModelCatalogEntry entry, string modelsDirectory, CancellationToken cancellationToken)
    {
        // No overall timeout: a 1 GB file takes as long as it takes. A dead host fails at connect; a stalled body
        // is caught by the downloader's stall timeout.
        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var downloader = new ModelDownloader(http);
        var path = "";
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(entry.Name, maxValue: entry.SizeBytes);
                var report = new InOrderProgress(p =>
                {
                    task.MaxValue = p.TotalBytes ?? entry.SizeBytes;
                    task.Value = p.BytesDone;
                });
                path = await downloader.DownloadAsync(entry, modelsDirectory, report, cancellationToken);
                task.Value = task.MaxValue;
            });
        return path;
    }

    // Progress<T> posts to the thread pool, where reports can overtake each other; a bar must only move forward.
    private sealed class InOrderProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
