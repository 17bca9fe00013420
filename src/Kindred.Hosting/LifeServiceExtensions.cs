using Kindred.Core;
using Kindred.Core.Inner;
using Kindred.Core.Life;
using Kindred.Memory;
using Kindred.Memory.Knowledge;
using Kindred.Memory.Recall;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kindred.Hosting;

/// <summary>
/// The one wiring of a companion's life, used by the server and the CLI alike: memory, the inner life, learning,
/// reflection and outreach scheduling around one store and one model, ending in the <see cref="CompanionServices"/>
/// every <see cref="CompanionLife"/> on the host is made from.
/// </summary>
public static class LifeServiceExtensions
{
    /// <summary>Registers a companion's life over <paramref name="parts"/>; the caller owns the parts and disposes them.</summary>
    public static IServiceCollection AddKindredLife(this IServiceCollection services, LifeParts parts)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(parts);
        parts.Companion.Validate();
        services.AddSingleton(parts);
        services.AddSingleton(parts.Store);
        services.AddSingleton(parts.Memory);
        services.AddSingleton(parts.Inner);
        services.AddSingleton<LifeEvents>();
        services.AddSingleton(provider => new InnerLife(parts.Store, parts.Chat, parts.Time, parts.Inner, Logger<InnerLife>(provider)));
        services.AddSingleton(provider => new OutreachScheduler(parts.Store, parts.Time, parts.Inner));
        services.AddSingleton(provider => new Reflector(parts.Store, parts.Store, parts.Store, provider.GetRequiredService<InnerLife>(), parts.Chat, parts.Time, parts.Inner));
        services.AddSingleton(provider => new KnowledgeWorker(parts.Store, parts.Store, parts.Extractor, parts.Time, Logger<KnowledgeWorker>(provider)));
        services.AddSingleton(provider => new CompanionServices(
            parts.Store,
            parts.Chat,
            parts.Tokens,
            new HybridRecall(parts.Store, parts.Memory, knowledge: parts.Store),
            parts.Time,
            parts.Companion,
            Logger<Companion>(provider))
        {
            OpenRecall = companionId => new HybridRecall(parts.Store, parts.Memory.Open(companionId), knowledge: parts.Store),
            Inner = provider.GetRequiredService<InnerLife>(),
            Learning = provider.GetRequiredService<KnowledgeWorker>(),
            Reflector = provider.GetRequiredService<Reflector>(),
            Events = provider.GetRequiredService<LifeEvents>(),
        });
        return services;
    }

    private static ILogger Logger<T>(IServiceProvider provider) =>
        provider.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? NullLogger<T>.Instance;
}
