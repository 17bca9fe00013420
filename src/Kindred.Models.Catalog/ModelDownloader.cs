using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Kindred.Models.Catalog;

/// <summary>
/// Downloads catalog models into a models folder: into <c>&lt;file&gt;.part</c> first, resuming an earlier partial
/// download with an HTTP range request, then verifying the SHA-256 of the whole file and renaming it into place,
/// so a file under the final name is always complete and verified.
/// </summary>
/// <remarks>
/// The <see cref="HttpClient"/> is used as given. Its <see cref="HttpClient.Timeout"/> bounds only the wait for
/// response headers (the body is streamed); a stalled body is caught by <see cref="StallTimeout"/>.
/// </remarks>
public sealed class ModelDownloader
{
    private const int BufferSize = 1 << 16;
    private readonly HttpClient http;
    private readonly TimeProvider time;

    /// <param name="http">Client for the download; redirects must be followed (the default), as Hugging Face redirects to its CDN.</param>
    /// <param name="timeProvider">Clock for <see cref="StallTimeout"/>; defaults to <see cref="TimeProvider.System"/>.</param>
    public ModelDownloader(HttpClient http, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        this.http = http;
        time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How long the body may deliver no bytes before the download counts as interrupted. Default 60 seconds.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Downloads <paramref name="entry"/> into <paramref name="modelsDirectory"/> (created if missing) unless a verified copy is already there.</summary>
    /// <returns>Full path of the verified model file.</returns>
    /// <exception cref="ModelDownloadException">The host is unreachable, the server refused, the connection broke, or the checksum did not match.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the <c>.part</c> file is kept so the next call resumes.</exception>
    public async Task<string> DownloadAsync(
        ModelCatalogEntry entry,
        string modelsDirectory,
        IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsDirectory);
        if (entry.FileName.Length == 0 || entry.FileName != Path.GetFileName(entry.FileName) || entry.FileName is "." or "..")
        {
            throw new ArgumentException($"Catalog entry '{entry.Name}' has file name '{entry.FileName}', which is not a bare file name.", nameof(entry));
        }

        Directory.CreateDirectory(modelsDirectory);
        var finalPath = Path.GetFullPath(Path.Combine(modelsDirectory, entry.FileName));
        var partPath = finalPath + ".part";

        if (File.Exists(finalPath))
        {
            if (await IsIntactAsync(finalPath, entry, cancellationToken).ConfigureAwait(false))
            {
                progress?.Report(new DownloadProgress(entry.SizeBytes, entry.SizeBytes));
                return finalPath;
            }

            // Only a complete, verified file is ever renamed to this name, so a copy that fails the check was damaged
            // afterwards; downloading it again is the repair.
            File.Delete(finalPath);
        }

        await FetchAsync(entry, partPath, progress, cancellationToken).ConfigureAwait(false);

        var downloaded = new FileInfo(partPath).Length;
        if (entry.SizeBytes > 0 && downloaded < entry.SizeBytes)
        {
            throw new ModelDownloadException(
                $"The download of '{entry.Name}' stopped early, after {Format(downloaded)} of {Format(entry.SizeBytes)} bytes. " +
                "Run the same command again to resume it.");
        }

        var actual = await HashAsync(partPath, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(actual, entry.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(partPath);
            throw new ModelDownloadException(
                $"The download of '{entry.Name}' is corrupt: its SHA-256 is {actual}, but {entry.Sha256.ToLowerInvariant()} was expected. " +
                "The partial file was deleted; run the same command again to download it afresh.");
        }

        File.Move(partPath, finalPath, overwrite: true);
        return finalPath;
    }

    private async Task FetchAsync(ModelCatalogEntry entry, string partPath, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = File.Exists(partPath) ? new FileInfo(partPath).Length : 0;
            if (entry.SizeBytes > 0 && existing > entry.SizeBytes)
            {
                File.Delete(partPath);
                existing = 0;
            }

            if (entry.SizeBytes > 0 && existing == entry.SizeBytes)
            {
                progress?.Report(new DownloadProgress(existing, existing));
                return;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, entry.Url);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Kindred", "1.0"));
            if (existing > 0)
            {
                request.Headers.Range = new RangeHeaderValue(existing, null);
            }

            using var response = await SendAsync(entry, request, cancellationToken).ConfigureAwait(false);
            var partial = response.StatusCode == HttpStatusCode.PartialContent;
            var resumes = existing > 0 && partial && response.Content.Headers.ContentRange?.From == existing;

            // A refused range, or a range other than the one asked for, means the partial file cannot be continued:
            // start over once, without a range. (A plain 200 needs no second request: its body is the whole file.)
            if (attempt == 0 && existing > 0 && (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable || (partial && !resumes)))
            {
                File.Delete(partPath);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ModelDownloadException(
                    $"Downloading '{entry.Name}' from {entry.Url} failed: the server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var offset = resumes ? existing : 0;
            long? total = response.Content.Headers.ContentLength is long length ? offset + length : entry.SizeBytes > 0 ? entry.SizeBytes : null;
            await CopyAsync(entry, response, partPath, offset, total, progress, cancellationToken).ConfigureAwait(false);
            return;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(ModelCatalogEntry entry, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(entry, OneLine(ex.Message), ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation nobody asked for.
            throw Unreachable(entry, "the connection timed out", ex);
        }
    }

    private async Task CopyAsync(
        ModelCatalogEntry entry,
        HttpResponseMessage response,
        string partPath,
        long offset,
        long? total,
        IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        FileStream target;
        try
        {
            target = new FileStream(partPath, offset > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelDownloadException($"Cannot write '{partPath}': {OneLine(ex.Message)}", ex);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var done = offset;
        try
        {
            await using (target.ConfigureAwait(false))
            {
                using var stall = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
                using var readCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stall.Token);
                var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    progress?.Report(new DownloadProgress(done, total));
                    while (true)
                    {
                        int read;
                        try
                        {
                            stall.CancelAfter(StallTimeout);
                            read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), readCancel.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                        {
                            throw Interrupted(entry, done, total, $"no data arrived for {StallTimeout.TotalSeconds:0} seconds", ex);
                        }
                        catch (Exception ex) when (ex is IOException or HttpRequestException)
                        {
                            throw Interrupted(entry, done, total, OneLine(ex.Message), ex);
                        }

                        if (read == 0)
                        {
                            return;
                        }

                        try
                        {
                            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        }
                        catch (IOException ex)
                        {
                            throw new ModelDownloadException($"Cannot write '{partPath}': {OneLine(ex.Message)}", ex);
                        }

                        done += read;
                        progress?.Report(new DownloadProgress(done, total));
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<bool> IsIntactAsync(string path, ModelCatalogEntry entry, CancellationToken cancellationToken) =>
        (entry.SizeBytes <= 0 || new FileInfo(path).Length == entry.SizeBytes)
        && string.Equals(await HashAsync(path, cancellationToken).ConfigureAwait(false), entry.Sha256, StringComparison.OrdinalIgnoreCase);

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }

    private static ModelDownloadException Unreachable(ModelCatalogEntry entry, string reason, Exception inner) => new(
        $"Could not reach {entry.Url.Host} to download '{entry.Name}' ({reason}). To go on offline, pass a local GGUF file with " +
        "--model /path/to/model.gguf, or point Kindred at an OpenAI-compatible server with --endpoint http://host:port/v1 --remote-model NAME.",
        inner);

    private static ModelDownloadException Interrupted(ModelCatalogEntry entry, long done, long? total, string reason, Exception inner) => new(
        $"The download of '{entry.Name}' was interrupted after {Format(done)}{(total is { } t ? " of " + Format(t) : "")} bytes ({reason}). " +
        "Run the same command again to resume it, or go on offline with --model /path/to/model.gguf or --endpoint http://host:port/v1 --remote-model NAME.",
        inner);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
