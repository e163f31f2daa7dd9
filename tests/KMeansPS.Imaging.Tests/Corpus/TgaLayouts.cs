namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>A TGA's kind of pixel: grey, true colour, or indices into a colour map.</summary>
internal enum TgaKind { Grey, TrueColour, Mapped }

/// <summary>
/// Every TGA layout the module reads, for the generated corpora: 8 and 16-bit grey, 15, 16, 24 and 32-bit true colour,
/// and 8-bit indices into 16, 24 and 32-bit colour maps (MapDepth 0 where there is no map).
/// </summary>
internal static class TgaLayouts
{
    public static readonly (TgaKind Kind, int Depth, int MapDepth)[] All =
    [
        (TgaKind.Grey, 8, 0), (TgaKind.Grey, 16, 0), (TgaKind.TrueColour, 15, 0), (TgaKind.TrueColour, 16, 0), (TgaKind.TrueColour, 24, 0),
        (TgaKind.TrueColour, 32, 0), (TgaKind.Mapped, 8, 16), (TgaKind.Mapped, 8, 24), (TgaKind.Mapped, 8, 32),
    ];
}
