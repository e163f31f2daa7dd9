using System.Buffers.Binary;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tga;

/// <summary>
/// Whether a TGA's attribute bits (a 32-bit true-colour pixel's fourth byte, a 16-bit one's top bit, a 16-bit grey
/// pixel's second byte) are alpha. Two things say so: the header's count of attribute bits (the low four bits of byte
/// 17) and a TGA 2.0 extension area's attributes type (its byte 494: 0 no alpha, 1 undefined and to be ignored, 2
/// undefined and to be kept, 3 alpha, 4 premultiplied alpha). ImageMagick and PIL ignore the extension area and read a
/// 32-bit pixel's fourth byte as alpha whatever the header says; ImageSharp 2.1 showed a 32-bit file of 0 attribute bits
/// opaque, so a file with real alpha lost it. Read here as the readers read them: a 16-bit pixel's top bit is alpha when
/// the header gives attribute bits, as ImageMagick reads it (PIL shows every 16-bit true-colour file opaque); a 16-bit
/// grey pixel is 8-bit grey and 8-bit alpha whatever the header says, as PIL reads it (ImageMagick reads its two bytes as
/// a 5-bit colour and shows that colour's luminance, opaque: no grey the file holds); a colour-mapped pixel takes its
/// colour map's entry, a 16-bit entry opaque, as both read it (ImageSharp took the entry's top bit for alpha under 1 or 8
/// attribute bits). One exception: attribute bits that are 0 in every pixel and that nothing calls alpha (the header
/// gives none, or the extension area says they are not alpha) are read as opaque, where the readers make the whole
/// picture transparent. Each reading the file does not state plainly, and each where the readers disagree, is warned
/// about (<see cref="Settle"/> returns the warning).
/// </summary>
internal static class TgaAlpha
{
    private const int ExtensionAreaSize = 495, AttributesTypeAt = 494, FooterSize = 26;

    /// <summary>The attributes type of a TGA 2.0 extension area, in words.</summary>
    private static readonly string[] AttributesTypes =
        ["no alpha data (type 0)", "undefined data to be ignored (type 1)", "undefined data to be kept (type 2)"];

    /// <summary>
    /// The file as it is, or a copy whose header gives the count of attribute bits ImageSharp reads as ImageMagick and
    /// PIL read the file: 8 for a 32-bit true-colour file that gives none (ImageSharp then reads the fourth byte, which
    /// <see cref="Settle"/> judges) and for a 16-bit grey file that gives none (ImageSharp set the alpha's top bit), 0
    /// for a colour-mapped file (ImageSharp read a 16-bit entry's top bit as alpha under 1 and 8), and for a count other
    /// than 0, 1 and 8 (which ImageSharp misreads or was not handed) the count of <see cref="CountReadAs"/>.
    /// </summary>
    public static byte[] ForImageSharp(byte[] file)
    {
        if (file.Length < 18) return file;
        int bits = file[17] & 0x0F;
        int read = file[2] switch
        {
            1 or 9 => 0,
            3 or 11 when file[16] == 16 => 8,
            2 or 10 when file[16] == 32 && bits == 0 => 8,
            _ => bits is 0 or 1 or 8 ? bits : CountReadAs(file),
        };
        if (read == bits) return file;
        byte[] copy = [.. file];
        copy[17] = (byte)((copy[17] & 0xF0) | read);
        return copy;
    }

    /// <summary>
    /// The count of attribute bits a file that gives some other than 0, 1 or 8 is read as, the one under which ImageSharp
    /// reads it as ImageMagick and PIL do (checked on every depth, raw and run-length, with each count 2-7 and 9-15): a
    /// 32-bit pixel's fourth byte is alpha (8), a 15 or 16-bit pixel's top bit is alpha to ImageMagick (1), a 16-bit grey
    /// pixel's second byte is alpha to PIL (8; ImageMagick reads no alpha in it); 8-bit grey and 24-bit pixels
    /// hold no alpha, and colour-mapped pixels take theirs from the map whatever the count (0).
    /// </summary>
    private static int CountReadAs(ReadOnlySpan<byte> file) => file[2] switch
    {
        2 or 10 => file[16] switch { 32 => 8, 15 or 16 => 1, _ => 0 },
        3 or 11 => file[16] == 16 ? 8 : 0,
        _ => 0,
    };

    /// <summary>
    /// What a count of attribute bits other than 0, 1 and 8 was read as, in words, and a colour-mapped file's count of 1
    /// or 8 on 16-bit entries (which ImageSharp read as the entries' top bit); null for the rest.
    /// </summary>
    private static string? CountWarning(ReadOnlySpan<byte> file)
    {
        int bits = file[17] & 0x0F, depth = file[16];
        bool mapped = file[2] is not (2 or 3 or 10 or 11);
        if (bits is 0 || (bits is 1 or 8 && !(mapped && file[7] is 15 or 16))) return null;
        string gives = $"header gives {bits} attribute bit{(bits == 1 ? "" : "s")}", ignored = bits == 1 ? "it is ignored" : "they are ignored";
        return file[2] switch
        {
            2 or 10 => depth switch
            {
                32 => $"The 32-bit TGA's {gives}, where a 32-bit pixel holds 8: its fourth byte is read as alpha, as ImageMagick and PIL read it.",
                // The 16-bit file's warning is Settle's, which says the same of a count of 8.
                16 => null,
                15 => $"The 15-bit TGA's {gives}, where a 15-bit pixel holds at most 1: its top bit is read as alpha, as ImageMagick reads it (PIL does not read 15-bit TGAs).",
                _ => $"The {depth}-bit TGA's {gives}, but its pixels hold none: read as opaque, as ImageMagick and PIL read it.",
            },
            // The 16-bit grey file's warning is Settle's, which tells how its pixels are read.
            3 or 11 => depth == 16 ? null : $"The grey TGA's {gives}, but its pixels hold none: read as opaque, as ImageMagick and PIL read it.",
            _ => file[7] == 32
                ? $"The colour-mapped TGA's {gives}: {ignored} and its colours and alpha taken from its colour map, as ImageMagick reads it (PIL does not read 32-bit colour maps)."
                : $"The colour-mapped TGA's {gives}: {ignored} and its colours taken from its colour map, opaque, as ImageMagick and PIL read it.",
        };
    }

    /// <summary>
    /// Makes <paramref name="pixels"/> (decoded from <paramref name="file"/>) opaque when its attribute bits are 0 in
    /// every pixel and nothing calls them alpha; returns what the decode tells of the file's alpha, or null.
    /// </summary>
    public static string? Settle(ReadOnlySpan<byte> file, Span<Rgba32> pixels)
    {
        string? count = file.Length < 18 ? null : CountWarning(file), alpha = SettleAttributeBits(file, pixels);
        return count is null ? alpha : alpha is null ? count : $"{count} {alpha}";
    }

    /// <summary>A true-colour or 16-bit grey file's attribute bits, settled as <see cref="Settle"/> says.</summary>
    private static string? SettleAttributeBits(ReadOnlySpan<byte> file, Span<Rgba32> pixels)
    {
        bool grey = file.Length >= 18 && file[2] is 3 or 11 && file[16] == 16;
        if (!grey && (!IsTrueColour(file) || file[16] is not (16 or 32))) return null;
        int depth = file[16], bits = file[17] & 0x0F;
        int? type = AttributesType(file);
        bool headerSaysNone = bits == 0;
        bool extensionSaysNone = type is 0 or 1 or 2;
        // A 16-bit true-colour file of no attribute bits is opaque to every reader: nothing to settle, and only an
        // extension area that says otherwise to tell of.
        if (!grey && depth == 16 && headerSaysNone) return type is 3 or 4
            ? $"The 16-bit TGA's extension area says its pixels hold alpha (type {type}), but its header gives no attribute bits: read as opaque, as ImageMagick and PIL read it."
            : null;
        // Each kind of pixel: where its attribute bits lie, who reads them as alpha, how many bits it holds.
        (string tga, string attribute, string readers, bool plural, int holds) = grey
            ? ("The 16-bit grey TGA's", "second byte", "PIL", false, 8)
            : depth == 32 ? ("The 32-bit TGA's", "fourth byte", "ImageMagick and PIL", true, 8) : ("The 16-bit TGA's", "top bit", "ImageMagick", false, 1);
        string read = plural ? "read" : "reads", show = plural ? "show" : "shows";
        var said = new List<string>();
        // ImageMagick's reading of a 16-bit grey pixel is no grey the file holds: said where the header does not give
        // the second byte's 8 bits (the grey-and-alpha file GIMP and PIL write says so, and needs no warning).
        if (grey && bits != holds)
            said.Add($"{tga} pixels are read as 8-bit grey and 8-bit alpha, as PIL reads them (ImageMagick reads each pixel's two bytes as 5-bit red, green and blue and shows their luminance, opaque).");
        // A count other than the pixel's own: the warning names it.
        string? count = bits == 0 || bits == holds ? null : $"{tga} header gives {bits} attribute bit{(bits == 1 ? "" : "s")}, where a {(grey ? "16-bit grey" : $"{depth}-bit")} pixel holds {holds}";
        bool allZero = !AnyAlpha(pixels);
        if (allZero && (headerSaysNone || extensionSaysNone))
        {
            foreach (ref Rgba32 p in pixels) p.A = 255;
            string because = headerSaysNone ? "its header gives no attribute (alpha) bits" : $"its extension area says it is {AttributesTypes[type!.Value]}";
            if (count is not null && depth != 32) said.Add($"{count}.");
            said.Add($"{tga} {attribute} is 0 in every pixel and {because}: read as opaque, where {readers} {show} the picture wholly transparent.");
            return string.Join(" ", said);
        }
        if (headerSaysNone)
            said.Add($"{tga} header gives no attribute (alpha) bits, but the {attribute} of its pixels is read as alpha, as {readers} {read} it.");
        // The 32-bit count's warning is CountWarning's.
        if (count is not null && depth != 32)
            said.Add($"{count}: its {attribute} is read as alpha, as {readers} {read} it{(grey ? "" : " (PIL shows the file opaque)")}.");
        if (extensionSaysNone)
            said.Add($"{tga} extension area says the {attribute} of its pixels is {AttributesTypes[type!.Value]}, but it is read as alpha, as {readers} {read} it.");
        if (type == 4)
            said.Add($"{tga} extension area says its colours are premultiplied by alpha, but they are read as they are, as {readers} {read} them.");
        return said.Count == 0 ? null : string.Join(" ", said);
    }

    /// <summary>Whether any pixel's alpha is not 0 (stopping at the first).</summary>
    private static bool AnyAlpha(ReadOnlySpan<Rgba32> pixels)
    {
        foreach (Rgba32 p in pixels)
            if (p.A != 0) return true;
        return false;
    }

    /// <summary>Uncompressed or run-length true colour (image type 2 or 10).</summary>
    private static bool IsTrueColour(ReadOnlySpan<byte> file) => file.Length >= 18 && file[2] is 2 or 10;

    /// <summary>
    /// The attributes type of the extension area the file's TGA 2.0 footer points at, when there is one (it gives its
    /// size, 495, and ends before the footer); else null.
    /// </summary>
    private static int? AttributesType(ReadOnlySpan<byte> file)
    {
        if (file.Length < 18 + FooterSize || !file[^18..].SequenceEqual("TRUEVISION-XFILE.\0"u8)) return null;
        long area = BinaryPrimitives.ReadUInt32LittleEndian(file[^FooterSize..]);
        if (area < 18 || area + ExtensionAreaSize > file.Length - FooterSize) return null;
        if (BinaryPrimitives.ReadUInt16LittleEndian(file[(int)area..]) != ExtensionAreaSize) return null;
        return file[(int)area + AttributesTypeAt];
    }
}
