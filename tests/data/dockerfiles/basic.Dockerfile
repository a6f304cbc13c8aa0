FROM python:3.12-slim
RUN pip install flask
RUN pip install flask==3.0.3
RUN pip install "requests>=2.31"
RUN pip install --no-cache-dir numpy==1.26.4 pandas
RUN python3 -m pip install idna
RUN pip3 install --index-url https://pypi.org/simple six==1.16.0
RUN pip install --upgrade pip
