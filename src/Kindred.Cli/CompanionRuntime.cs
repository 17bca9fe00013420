using System.Diagnostics;
using System.Reflection;
using Kindred.Cli.Configuration;
using Kindred.Core;
using Kindred.Hosting;
using Kindred.Memory;
using Kindred.Memory.Knowledge;
using Kindred.Memory.Recall;
using Kindred.Models.Catalog;
using Kindred.Models.Local;
using Kindred.Models.Remote;
using Kindred.Server;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Kindred.Cli;

/// <summary>The store and the model a command works with, opened from settings and closed together.</summary>
internal sealed class CompanionRuntime : IAsyncDisposable
{
    private readonly CompanionData _data;
    private readonly LocalModel? _localModel;

    private CompanionRuntime(CompanionData data, IChatClient chat, ITokenCounter tokens, LocalModel? localModel, string modelDescription)
    {
        _data = data;
        Store = data.Store;
        FullStore = data.Store;
        Memory = data.Memory;
        Chat = chat;
        Tokens = tokens;
        _localModel = localModel;
        ModelDescription = modelDescription;
    }

    public IMemoryStore Store { get; }

    /// <summary>The store with everything beyond turns and memory: facts, people, the inner life (either provider keeps all of it).</summary>
    public IFullCompanionStore FullStore { get; }

    /// <summary>Long-term memory: hybrid search over every turn.</summary>
    public MemoryIndex Memory { get; }

    public IChatClient Chat { get; }

    public ITokenCounter Tokens { get; }

    public string ModelDescription { get; }

    public static string DatabasePath(string dataDirectory) => Path.Combine(dataDirectory, "kindred.db");

    public static string ModelsDirectory(string dataDirectory) => Path.Combine(dataDirectory, "models");

    /// <param name="pullDefault">Downloads the default model when it is needed and missing.</param>
    public static async Task<CompanionRuntime> StartAsync(
        KindredSettings settings,
        string dataDirectory,
        Func<ModelCatalogEntry, string, CancellationToken, Task> pullDefault,
        CancellationToken cancellationToken)
    {
        var data = await CompanionData.OpenAsync(settings, dataDirectory, cancellationToken).ConfigureAwait(false);
        try
        {
            if (settings.UsesRemote)
            {
                var (chat, tokens) = RemoteChatClient.Create(settings.Remote);
                return new CompanionRuntime(data, chat, tokens, null, $"{settings.Remote.Model} at {settings.Remote.Endpoint}");
            }

            var modelsDirectory = ModelsDirectory(dataDirectory);
            var useDefault = string.IsNullOrWhiteSpace(settings.Model.ModelPath);
            if (useDefault && settings.DownloadDefaultModel && !File.Exists(Path.Combine(modelsDirectory, ModelCatalog.Default.FileName)))
            {
                await pullDefault(ModelCatalog.Default, modelsDirectory, cancellationToken).ConfigureAwait(false);
            }

            var path = ModelLocator.Resolve(useDefault ? ModelCatalog.Default.Name : settings.Model.ModelPath, modelsDirectory);
            var check = new IsolatedLoadCheck(Path.Combine(modelsDirectory, ".loadable"), ProbeCommand);
            await check.EnsureLoadableAsync(path, cancellationToken).ConfigureAwait(false);
            settings.Model.ModelPath = path;
            var model = LocalModel.Load(settings.Model);
            return new CompanionRuntime(data, model.AsChatClient(), model, model, Path.GetFileName(path));
        }
        catch
        {
            await data.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>What a companion's life is wired from (see <see cref="LifeServiceExtensions.AddKindredLife"/>), on this runtime's store and model.</summary>
    public LifeParts LifeParts(KindredSettings settings, ILogger logger) =>
        new(FullStore, Memory, Chat, Tokens, settings.Companion, settings.Inner, KnowledgeExtractor(logger), TimeProvider.System);

    /// <summary>What the server shares between its companions (see <see cref="CompanionBackend"/>), on this runtime's store and model.</summary>
    public CompanionBackend Backend(KindredSettings settings, string dataDirectory, ILogger logger) =>
        new(FullStore, Memory, Chat, Tokens, ModelDescription, dataDirectory, settings.Companion, _localModel?.Scheduler, Inner: settings.Inner, Extractor: KnowledgeExtractor(logger), StoreSettings: settings.Store);

    /// <summary>
    /// How facts, people and summaries are learned, by the CLI and the server alike: from a remote chat model (the
    /// built-in rules when it cannot answer). Beside an embedded model the built-in rules do it for now: that model
    /// serves one conversation at a time on a small CPU, and extraction runs there have not been measured yet.
    /// </summary>
    public IKnowledgeExtractor KnowledgeExtractor(ILogger logger) =>
        _localModel is null ? new ModelExtractor(Chat, new BuiltInExtractor(), TimeProvider.System, logger, Tokens) : new BuiltInExtractor();

    public async ValueTask DisposeAsync()
    {
        _localModel?.Dispose();
        await _data.DisposeAsync().ConfigureAwait(false);
    }

    // The child is this same program, asked only to load the file: `kindred model probe PATH`.
    private static ProcessStartInfo ProbeCommand(string modelPath)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this program's own path to check the model.");
        var start = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add("model");
        start.ArgumentList.Add("probe");
        start.ArgumentList.Add(modelPath);
        return start;
    }
}
