using System.Net;
using System.Security.Cryptography;
using Kindred.Models.Catalog;

namespace Kindred.Voice.Whisper.Tests.Recognition;

public sealed class VoiceModelCatalogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kindred-voice-models-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Whisper_base_en_is_pinned_to_a_commit_with_a_checksum_and_size()
    {
        var entry = VoiceModelCatalog.Find("WHISPER-BASE.EN");

        Assert.NotNull(entry);
        Assert.Same(VoiceModelCatalog.WhisperBaseEn, entry);
        Assert.Matches("^https://huggingface.co/ggerganov/whisper.cpp/resolve/[0-9a-f]{40}/ggml-base.en.bin$", entry.Url.ToString());
        Assert.Matches("^[0-9a-f]{64}$", entry.Sha256);
        Assert.Equal(147_964_211, entry.SizeBytes);
        Assert.Equal("ggml-base.en.bin", entry.FileName);
        Assert.Null(ModelCatalog.Find(entry.Name)); // not a chat model
    }

    [Fact]
    public async Task Whisper_downloads_through_the_chat_models_downloader_from_its_pinned_url()
    {
        var body = new byte[50_000];
        new Random(3).NextBytes(body);
        // The real file is 148 MB; the fake serves a small one, so its checksum and size stand in for the pinned ones.
        var entry = VoiceModelCatalog.WhisperBaseEn with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(body)), SizeBytes = body.Length };
        using var handler = new OneFileHandler(body);
        using var http = new HttpClient(handler);

        var path = await new ModelDownloader(http).DownloadAsync(entry, _folder);

        Assert.Equal(VoiceModelCatalog.WhisperBaseEn.Url, Assert.Single(handler.Requested));
        Assert.Equal(Path.Combine(_folder, "ggml-base.en.bin"), path);
        Assert.Equal(body, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_download_that_does_not_match_the_pinned_checksum_is_rejected_and_deleted()
    {
        var body = new byte[50_000];
        var entry = VoiceModelCatalog.WhisperBaseEn with { SizeBytes = body.Length };
        using var handler = new OneFileHandler(body);
        using var http = new HttpClient(handler);

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => new ModelDownloader(http).DownloadAsync(entry, _folder));

        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    private sealed class OneFileHandler(byte[] body) : HttpMessageHandler
    {
        public List<Uri> Requested { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requested.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });
        }
    }
}
