using System.Net;
using System.Net.Sockets;
using Kindred.Models.Catalog.Tests.TestSupport;
using Kindred.Models.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Kindred.Models.Catalog.Tests;

public sealed class ModelDownloaderTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FakeModelServer server = new();
    private readonly HttpClient client;

    public ModelDownloaderTests() => client = server.CreateClient();

    private string FinalPath => temp.File(server.Entry.FileName);

    private string PartPath => FinalPath + ".part";

    public void Dispose()
    {
        client.Dispose();
        server.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task A_full_download_is_verified_and_renamed_into_place()
    {
        var path = await new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path);

        Assert.Equal(FinalPath, path);
        Assert.Equal(server.Content, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(PartPath));
        var request = Assert.Single(server.Requests);
        Assert.Null(request.Headers.Range);
        Assert.Equal(server.Entry.Url, request.RequestUri);
    }

    [Fact]
    public async Task A_partial_download_is_resumed_with_a_range_request()
    {
        await File.WriteAllBytesAsync(PartPath, server.Content[..100_000]);

        var path = await new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path);

        Assert.Equal("bytes=100000-", Assert.Single(server.Requests).Headers.Range?.ToString());
        Assert.Equal(server.Content, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(PartPath));
    }

    [Fact]
    public async Task A_server_that_ignores_the_range_restarts_the_file_from_scratch()
    {
        server.IgnoreRanges = true;
        await File.WriteAllBytesAsync(PartPath, Enumerable.Repeat((byte)0xEE, 100_000).ToArray());
        var progress = new RecordingProgress<DownloadProgress>();

        var path = await new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path, progress);

        Assert.NotNull(Assert.Single(server.Requests).Headers.Range);
        Assert.Equal(server.Content, await File.ReadAllBytesAsync(path));
        Assert.Equal(0, progress.Reports[0].BytesDone);
    }

    [Fact]
    public async Task A_refused_range_starts_over_without_one()
    {
        var stale = server.Content.Concat(new byte[10]).ToArray();
        var entry = server.Entry with { SizeBytes = 0 }; // Unknown size, so the oversized part file reaches the server.
        await File.WriteAllBytesAsync(PartPath, stale);

        var path = await new ModelDownloader(client).DownloadAsync(entry, temp.Path);

        Assert.Equal(2, server.Requests.Count);
        Assert.Null(server.Requests[1].Headers.Range);
        Assert.Equal(server.Content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_checksum_mismatch_deletes_the_download_and_leaves_no_final_file()
    {
        var entry = server.Entry with { Sha256 = new string('0', 64) };

        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(client).DownloadAsync(entry, temp.Path));

        Assert.Contains("is corrupt: its SHA-256 is " + server.Entry.Sha256, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.False(File.Exists(FinalPath));
        Assert.False(File.Exists(PartPath));
    }

    [Fact]
    public async Task A_resumed_download_hashes_the_prefix_too()
    {
        var wrongPrefix = server.Content[..100_000];
        wrongPrefix[5] ^= 0xFF;
        await File.WriteAllBytesAsync(PartPath, wrongPrefix);

        await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path));

        Assert.False(File.Exists(FinalPath));
        Assert.False(File.Exists(PartPath));
    }

    [Fact]
    public async Task An_unreachable_host_explains_how_to_go_on_offline()
    {
        server.Respond = (_, _) => throw new HttpRequestException(
            "Name or service not known (models.example:443)", new SocketException((int)SocketError.HostNotFound));

        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path));

        Assert.StartsWith("Could not reach models.example to download 'test-model' (Name or service not known", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--model /path/to/model.gguf", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--endpoint http://host:port/v1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.False(File.Exists(FinalPath));
    }

    [Fact]
    public async Task A_connection_timeout_is_reported_like_an_unreachable_host()
    {
        server.Respond = (_, _) => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException());

        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path));

        Assert.Contains("(the connection timed out)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--endpoint", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_error_names_the_status()
    {
        server.Respond = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { ReasonPhrase = "Not Found" });

        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path));

        Assert.Contains("the server answered 404 Not Found", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(FinalPath));
    }

    [Fact]
    public async Task Cancelling_mid_way_keeps_the_partial_file_for_a_later_resume()
    {
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress<DownloadProgress>(p =>
        {
            if (p.BytesDone > 0)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path, progress, cts.Token));

        var kept = new FileInfo(PartPath).Length;
        Assert.InRange(kept, 1, server.Content.Length - 1);
        Assert.False(File.Exists(FinalPath));

        var path = await new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path);

        Assert.Equal($"bytes={kept}-", server.Requests[^1].Headers.Range?.ToString());
        Assert.Equal(server.Content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_broken_connection_keeps_the_partial_file_and_says_to_resume()
    {
        server.WrapBody = ScriptedStream.ResetAfter(150_000);

        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path));

        Assert.Contains("was interrupted after 150,000 of 300,000 bytes (Connection reset by peer.)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("again to resume", ex.Message, StringComparison.Ordinal);
        Assert.Equal(150_000, new FileInfo(PartPath).Length);
    }

    [Fact]
    public async Task A_body_that_stops_arriving_times_out_on_the_injected_clock()
    {
        var time = new FakeTimeProvider();
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.WrapBody = ScriptedStream.HangAfter(70_000, stalled);
        var downloader = new ModelDownloader(client, time) { StallTimeout = TimeSpan.FromSeconds(30) };

        var download = downloader.DownloadAsync(server.Entry, temp.Path);
        await stalled.Task;
        time.Advance(TimeSpan.FromSeconds(31));
        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => download);

        Assert.Contains("(no data arrived for 30 seconds)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(70_000, new FileInfo(PartPath).Length);
    }

    [Fact]
    public async Task Progress_rises_monotonically_and_ends_at_the_total()
    {
        await File.WriteAllBytesAsync(PartPath, server.Content[..50_000]);
        var progress = new RecordingProgress<DownloadProgress>();

        await new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path, progress);

        Assert.True(progress.Reports.Count > 2);
        Assert.Equal(50_000, progress.Reports[0].BytesDone);
        Assert.All(progress.Reports, p => Assert.Equal(server.Content.Length, p.TotalBytes));
        Assert.All(progress.Reports.Zip(progress.Reports.Skip(1)), pair => Assert.True(pair.Second.BytesDone >= pair.First.BytesDone));
        Assert.Equal(new DownloadProgress(server.Content.Length, server.Content.Length), progress.Reports[^1]);
        Assert.Equal(1.0, progress.Reports[^1].Fraction);
    }

    [Fact]
    public async Task A_verified_final_file_returns_without_any_request()
    {
        await File.WriteAllBytesAsync(FinalPath, server.Content);

        var path = await new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path);

        Assert.Equal(FinalPath, path);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_damaged_final_file_is_downloaded_again()
    {
        var damaged = (byte[])server.Content.Clone();
        damaged[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(FinalPath, damaged);

        var path = await new ModelDownloader(client).DownloadAsync(server.Entry, temp.Path);

        Assert.Single(server.Requests);
        Assert.Equal(server.Content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_file_name_with_a_directory_is_refused()
    {
        var entry = server.Entry with { FileName = "../escape.gguf" };

        await Assert.ThrowsAsync<ArgumentException>(() => new ModelDownloader(client).DownloadAsync(entry, temp.Path));

        Assert.Empty(server.Requests);
    }
}
