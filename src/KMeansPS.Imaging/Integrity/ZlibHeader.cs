namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// The two bytes that open a zlib stream (RFC 1950): compression method and window size, then flags whose check bits
/// make the pair a multiple of 31 and whose bit 5 asks for a preset dictionary. One reading of them for the two
/// verdicts the scanners need: what ImageSharp 2.1 takes (<see cref="IsDeflate"/>; it does not check the check bits)
/// and what zlib takes (<see cref="ZlibRefusal"/>).
/// </summary>
internal readonly record struct ZlibHeader(int Cmf, int Flags)
{
    /// <summary>The header at the start of <paramref name="source"/>, or null when it has fewer than two bytes.</summary>
    public static ZlibHeader? Read(Stream source)
    {
        int cmf = source.ReadByte(), flags = source.ReadByte();
        return cmf < 0 || flags < 0 ? null : new ZlibHeader(cmf, flags);
    }

    /// <summary>Deflate with a window of at most 32 KB: the only zlib streams there are, and all ImageSharp 2.1 checks.</summary>
    public bool IsDeflate => (Cmf & 0x0F) == 8 && (Cmf >> 4) <= 7;

    /// <summary>The flags ask for a preset dictionary, whose 4-byte id follows the header.</summary>
    public bool NeedsDictionary => (Flags & 0x20) != 0;

    /// <summary>
    /// Why zlib refuses this header ("incorrect header check", "unknown compression method", "invalid window size"),
    /// naming the stream as <paramref name="what"/>; null when it takes it.
    /// </summary>
    public string? ZlibRefusal(string what) =>
        IsDeflate && (Cmf * 256 + Flags) % 31 == 0
            ? null
            : $"{what} has a damaged zlib header (0x{Cmf:X2} 0x{Flags:X2}: its check bits, method or window size are wrong), which zlib refuses";
}
