# The module as users get it: a package installable from a local repository, and the documented parallel forms.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-KMeansPSModulePath
}

Describe 'Packaging' {
    It 'publishes a package that Save-PSResource installs and that imports and works' {
        $repo = Join-Path $TestDrive 'repo'
        $name = 'KMeansPSTest' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        & (Get-ChildPwshPath) -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot '../../build/Publish-ModulePackage.ps1') `
            -ModulePath (Split-Path $script:ModulePath) -RepositoryPath $repo -RepositoryName $name | Out-Null
        $LASTEXITCODE | Should -Be 0
        $package = Get-ChildItem $repo -Filter 'KMeansPS.*.nupkg'
        $package | Should -Not -BeNullOrEmpty

        $installed = Join-Path $TestDrive 'installed'
        New-Item -ItemType Directory -Path $installed | Out-Null
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name $name -Uri '$repo' -Trusted
try {
    Save-PSResource -Name KMeansPS -Repository $name -Path '$installed' -TrustRepository
} finally {
    Unregister-PSResourceRepository -Name $name
}
`$m = Get-ChildItem '$installed' -Recurse -Filter KMeansPS.psd1 | Select-Object -First 1
Import-Module `$m.FullName
`$info = Get-Module KMeansPS
'{0};{1};{2}' -f `$info.Version, (@(Get-Command -Module KMeansPS).Count), ((New-SyntheticClusterData -Seed 1 | Invoke-KMeans -K 3 -Seed 1).K)
"@
        $out = & (Get-ChildPwshPath) -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $manifest = Import-PowerShellDataFile $script:ModulePath
        $out | Should -Be ('{0};{1};3' -f $manifest.ModuleVersion, $manifest.CmdletsToExport.Count)
    }

    It 'carries the metadata a gallery needs' {
        $manifest = Import-PowerShellDataFile $script:ModulePath
        $manifest.ModuleVersion | Should -Match '^\d+\.\d+\.\d+$'
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.PrivateData.PSData.Tags | Should -Contain 'KMeans'
    }

    It 'publishes no made-up address, and ships the licence and release notes it points at' {
        $manifest = Import-PowerShellDataFile $script:ModulePath
        $psData = $manifest.PrivateData.PSData
        foreach ($key in 'LicenseUri', 'ProjectUri', 'IconUri') {
            if ($psData.ContainsKey($key)) { $psData[$key] | Should -Not -Match 'example\.(invalid|com|org)|localhost' }
        }
        $psData.ReleaseNotes | Should -Match 'CHANGELOG\.md'
        $moduleDir = Split-Path $script:ModulePath
        Join-Path $moduleDir 'CHANGELOG.md' | Should -Exist
        Join-Path $moduleDir 'LICENSE' | Should -Exist
        $version = $manifest.ModuleVersion
        Get-Content -Raw (Join-Path $moduleDir 'CHANGELOG.md') | Should -Match "## (Unreleased|$([regex]::Escape($version)))"
    }

    It 'ships native libraries only for the runtimes PowerShell 7 is released for' {
        $runtimes = Join-Path (Split-Path $script:ModulePath) 'Dependencies/runtimes'
        $names = @(Get-ChildItem $runtimes -Directory | ForEach-Object Name | Sort-Object)
        $names | Should -Be @('linux-arm', 'linux-arm64', 'linux-musl-x64', 'linux-x64', 'osx', 'win-arm64', 'win-x64', 'win-x86')
        # Every kept runtime still has both natives the plots need.
        foreach ($name in $names) {
            @(Get-ChildItem (Join-Path $runtimes "$name/native") -File).Count | Should -BeGreaterOrEqual 2 -Because $name
        }
    }

    It 'keeps the staged module under the size the README states' {
        $bytes = (Get-ChildItem (Split-Path $script:ModulePath) -Recurse -File | Measure-Object Length -Sum).Sum
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $readme -match 'staged module is about (\d+) MB' | Should -BeTrue
        [math]::Round($bytes / 1MB) | Should -BeLessOrEqual ([int] $Matches[1])
    }
}

Describe 'Documented parallel forms' {
    BeforeAll {
        $script:dir = Join-Path $TestDrive 'par'
        New-Item -ItemType Directory -Path $script:dir | Out-Null
        1..4 | ForEach-Object { $null = New-TestPng -Path (Join-Path $script:dir "p$_.png") }
    }

    It 'works under ForEach-Object -Parallel' {
        $module = $script:ModulePath
        $results = Get-ChildItem $script:dir -Filter 'p*.png' | ForEach-Object -Parallel {
            Import-Module $using:module
            Compress-ImageKMeans -LiteralPath $_.FullName -K 8 -Seed 1 -Destination (Join-Path (Split-Path $_.FullName) 'parallel')
        } -ThrottleLimit 2
        @($results).Count | Should -Be 4
        (Get-ChildItem (Join-Path $script:dir 'parallel')).Count | Should -Be 4
    }

    It 'works in a thread job' {
        $module = $script:ModulePath
        $dir = $script:dir
        $job = Start-ThreadJob { Import-Module $using:module; Get-ChildItem $using:dir -Filter 'p*.png' | Compress-ImageKMeans -K 4 -Seed 1 -Destination (Join-Path $using:dir 'job') }
        $results = $job | Receive-Job -Wait -AutoRemoveJob
        @($results).Count | Should -Be 4
    }
}
