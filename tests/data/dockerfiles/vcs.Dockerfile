FROM python:3.12
RUN pip install "git+https://github.com/pallets/flask@main"
RUN pip install "git+https://github.com/pallets/flask@0123456789abcdef0123456789abcdef01234567"
RUN pip install "urllib3==2.*"
RUN pip install "requests~=2.32.0"
RUN pip install https://example.com/pkg-1.0.tar.gz
