using LLama.Native;

namespace Kindred.Models.Local;

/// <summary>Loads llama.cpp once per process, with its own logging silenced so it never prints over a conversation.</summary>
internal static class NativeLlama
{
    private static readonly Lock Gate = new();
    private static bool _loaded;

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded)
            {
                return;
            }

            // llama.cpp logs every load to stderr; the CLI owns the terminal, so only errors may surface, via exceptions.
            NativeLibraryConfig.All.WithLogCallback(static (_, _) => { });
            NativeApi.llama_empty_call();
            _loaded = true;
        }
    }
}
