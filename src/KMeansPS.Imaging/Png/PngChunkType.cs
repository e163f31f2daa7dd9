namespace KMeansPS.Imaging.Png;

/// <summary>The chunk types the decoder tells apart: their four ASCII letters read as a big-endian number.</summary>
internal static class PngChunkType
{
    internal const uint IHDR = 0x49484452, IDAT = 0x49444154, IEND = 0x49454E44, tRNS = 0x74524E53, pHYs = 0x70485973;
    internal const uint tEXt = 0x74455874, zTXt = 0x7A545874, iTXt = 0x69545874, eXIf = 0x65584966;
}
