namespace KMeansPS.Engine.Kernels;

/// <summary>The coordinates of one width's worth of points (see <see cref="PointLanes{TWidth, TFloats}"/>); the kernels are generic over D through it.</summary>
internal unsafe interface IPointLanes<TSelf, TFloats> where TSelf : struct, IPointLanes<TSelf, TFloats>
{
    static abstract TSelf Load(float* point, nint stride, int dims);

    TFloats Distance(float* centre);
}
