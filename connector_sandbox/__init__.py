"""A local sandbox for the example connector: a demo threat-intel API and a stand-in for the
OpenCTI platform's connector API. Both listen on 127.0.0.1 only and need no internet."""
