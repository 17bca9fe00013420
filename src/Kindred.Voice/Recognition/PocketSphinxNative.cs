using System.Runtime.InteropServices;

namespace Kindred.Voice.Recognition;

// pocketsphinx 5prealpha and sphinxbase from Debian (BSD-style licence, so they may run in-process).
internal static unsafe partial class PocketSphinxNative
{
    private const string Decoder = "libpocketsphinx.so.3";
    private const string Base = "libsphinxbase.so.3";

    [LibraryImport(Decoder, EntryPoint = "ps_args")]
    internal static partial IntPtr Args();

    [LibraryImport(Base, EntryPoint = "cmd_ln_parse_r")]
    internal static partial IntPtr ParseConfig(IntPtr previous, IntPtr definitions, int argc, IntPtr* argv, int strict);

    [LibraryImport(Base, EntryPoint = "cmd_ln_free_r")]
    internal static partial int FreeConfig(IntPtr config);

    [LibraryImport(Decoder, EntryPoint = "ps_init")]
    internal static partial IntPtr Init(IntPtr config);

    [LibraryImport(Decoder, EntryPoint = "ps_free")]
    internal static partial int Free(IntPtr decoder);

    [LibraryImport(Decoder, EntryPoint = "ps_set_jsgf_string", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetJsgfString(IntPtr decoder, string name, string grammar);

    [LibraryImport(Decoder, EntryPoint = "ps_set_search", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetSearch(IntPtr decoder, string name);

    [LibraryImport(Decoder, EntryPoint = "ps_start_utt")]
    internal static partial int StartUtterance(IntPtr decoder);

    [LibraryImport(Decoder, EntryPoint = "ps_process_raw")]
    internal static partial int ProcessRaw(IntPtr decoder, short* data, nuint samples, int noSearch, int fullUtterance);

    [LibraryImport(Decoder, EntryPoint = "ps_end_utt")]
    internal static partial int EndUtterance(IntPtr decoder);

    [LibraryImport(Decoder, EntryPoint = "ps_get_hyp")]
    internal static partial IntPtr GetHypothesis(IntPtr decoder, out int bestScore);
}
