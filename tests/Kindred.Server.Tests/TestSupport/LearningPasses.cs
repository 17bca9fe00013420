using System.Threading.Channels;
using Kindred.Core;
using Kindred.Memory.Knowledge;
using Kindred.Core.Life;
using Microsoft.Extensions.DependencyInjection;

namespace Kindred.Server.Tests.TestSupport;

/// <summary>
/// The server's learning passes as they end (its completion signal), kept from the moment this is made: make it
/// before the turn, then wait, so a pass that ends first is not missed.
/// </summary>
internal sealed class LearningPasses : IDisposable
{
    private readonly TestServer _server;
    private readonly LifeEvents _knowledge;
    private readonly Channel<LearningPass> _passes = Channel.CreateUnbounded<LearningPass>();

    public LearningPasses(TestServer server)
    {
        _server = server;
        _knowledge = server.Services.GetRequiredService<LifeEvents>();
        _knowledge.LearningPassEnded += OnPassEnded;
    }

    /// <summary>The next pass for the companion that ends (bounded only so a broken server fails instead of hanging).</summary>
    public async Task<LearningPass> NextAsync(string companionId)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var pass = await _passes.Reader.ReadAsync(bound.Token);
            if (pass.CompanionId == companionId)
            {
                return pass;
            }
        }
    }

    /// <summary>Waits until passes have read every turn the companion has stored so far.</summary>
    public async Task UntilAllReadAsync(string companionId)
    {
        var latest = (await _server.Store.GetRecentTurnsAsync(companionId, 1, CancellationToken.None)).Single().Id;
        while (await _server.Store.GetExtractedThroughAsync(companionId, CancellationToken.None) < latest)
        {
            await NextAsync(companionId);
        }
    }

    public void Dispose() => _knowledge.LearningPassEnded -= OnPassEnded;

    private void OnPassEnded(object? sender, LearningPass pass) => _passes.Writer.TryWrite(pass);
}

/// <summary>An extractor that learns nothing, for tests that arrange what is known themselves.</summary>
internal sealed class NothingLearned : IKnowledgeExtractor
{
    public Task<Extraction> ExtractAsync(ExtractionRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Extraction.Nothing(KnowledgeSource.BuiltIn));

    public Task<SummaryDraft?> SummarizeAsync(IReadOnlyList<StoredTurn> session, CancellationToken cancellationToken) =>
        Task.FromResult<SummaryDraft?>(null);
}
